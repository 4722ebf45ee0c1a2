package dev.octo.domain;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What an agent task has used so far, over all its runs: its turns (one call of the model and the
 * tools it asked for), the tokens the provider reported, and its running time, the time it spent
 * RUNNING (time paused on a question, or while Octo was stopped, is not counted).
 *
 * @param inputTokens the input tokens the provider reported, summed over the turns
 * @param outputTokens the output tokens the provider reported, summed over the turns
 * @param runningTime the running time of its ended runs, and of its current run up to its last
 *     recorded turn
 */
public record AgentUsage(int turns, long inputTokens, long outputTokens, Duration runningTime) {

    /** A task that has not run. */
    public static final AgentUsage NONE = new AgentUsage(0, 0, 0, Duration.ZERO);

    public AgentUsage {
        requireNonNull(runningTime, "runningTime is null");
        if (turns < 0 || inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("turns and tokens are not negative, not " + turns + ", "
                    + inputTokens + ", " + outputTokens);
        }
        if (runningTime.isNegative()) {
            throw new IllegalArgumentException("a running time is not negative, not " + runningTime);
        }
    }

    /** Input and output tokens together, as a token budget counts them. */
    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /** This usage and one more turn that used {@code input} and {@code output} tokens. */
    public AgentUsage plusTurn(long input, long output) {
        return new AgentUsage(turns + 1, inputTokens + input, outputTokens + output, runningTime);
    }

    public AgentUsage withRunningTime(Duration value) {
        return new AgentUsage(turns, inputTokens, outputTokens, value);
    }
}
