package dev.octo.domain;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * An LLM agent asked to reach {@code prompt}'s objective with the tools of the agent definition
 * {@code agentName}, in at most {@code maxTurns} turns.
 *
 * @param maxTokens the token budget (input and output together) the task may use; empty leaves it
 *     to the agent runner's default
 */
public record AgentSpec(String prompt, String agentName, Path workingDirectory, int maxTurns,
        Timeout timeout, Optional<Long> maxTokens) implements TaskSpec {

    public static final int DEFAULT_MAX_TURNS = 50;
    public static final String DEFAULT_AGENT = "default";

    public AgentSpec {
        requireNonNull(prompt, "prompt is null");
        requireNonNull(agentName, "agentName is null");
        requireNonNull(workingDirectory, "workingDirectory is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(maxTokens, "maxTokens is null");
        if (prompt.isBlank()) {
            throw new IllegalArgumentException("an agent task needs a prompt");
        }
        if (agentName.isBlank()) {
            throw new IllegalArgumentException("an agent task needs an agent name");
        }
        if (maxTurns < 1) {
            throw new IllegalArgumentException("maxTurns must be at least 1, not " + maxTurns);
        }
        if (maxTokens.isPresent() && maxTokens.get() < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, not " + maxTokens.get());
        }
    }

    /** A spec whose token budget is the agent runner's default. */
    public AgentSpec(String prompt, String agentName, Path workingDirectory, int maxTurns, Timeout timeout) {
        this(prompt, agentName, workingDirectory, maxTurns, timeout, Optional.empty());
    }

    public static AgentSpec of(String prompt, Path workingDirectory) {
        return new AgentSpec(prompt, DEFAULT_AGENT, workingDirectory, DEFAULT_MAX_TURNS, Timeout.NONE);
    }

    @Override
    public TaskKind kind() {
        return TaskKind.AGENT;
    }

    @Override
    public String summary() {
        return prompt;
    }

    public AgentSpec withTimeout(Timeout newTimeout) {
        return new AgentSpec(prompt, agentName, workingDirectory, maxTurns, newTimeout, maxTokens);
    }
}
