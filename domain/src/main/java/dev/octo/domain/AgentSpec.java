package dev.octo.domain;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * An LLM agent asked to reach {@code prompt}'s objective with the tools of the agent definition
 * {@code agentName}, in at most {@code maxTurns} turns.
 */
public record AgentSpec(String prompt, String agentName, Path workingDirectory, int maxTurns,
        Timeout timeout) implements TaskSpec {

    public static final int DEFAULT_MAX_TURNS = 50;
    public static final String DEFAULT_AGENT = "default";

    public AgentSpec {
        requireNonNull(prompt, "prompt is null");
        requireNonNull(agentName, "agentName is null");
        requireNonNull(workingDirectory, "workingDirectory is null");
        requireNonNull(timeout, "timeout is null");
        if (prompt.isBlank()) {
            throw new IllegalArgumentException("an agent task needs a prompt");
        }
        if (agentName.isBlank()) {
            throw new IllegalArgumentException("an agent task needs an agent name");
        }
        if (maxTurns < 1) {
            throw new IllegalArgumentException("maxTurns must be at least 1, not " + maxTurns);
        }
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
        return new AgentSpec(prompt, agentName, workingDirectory, maxTurns, newTimeout);
    }
}
