package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.domain.ClaudeCommandRule;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.TimeoutPolicy;
import java.nio.file.Path;

/**
 * How the engine runs tasks.
 *
 * @param maxConcurrent tasks RUNNING at once ({@code BG_MAX_CONCURRENT})
 * @param workingDirectory where work runs unless a request names another folder
 * @param claudeRule what every claude command gets on its way to the {@code ProcessRunner}
 *     ({@code ADDITIONAL_CLAUDE_ARGS}); a task keeps its command as it was typed
 */
public record EngineSettings(int maxConcurrent, Path workingDirectory, TimeoutPolicy timeoutPolicy,
        EscalationPolicy escalationPolicy, ClaudeCommandRule claudeRule) {

    public static final int DEFAULT_MAX_CONCURRENT = 3;

    public EngineSettings {
        requireNonNull(workingDirectory, "workingDirectory is null");
        requireNonNull(timeoutPolicy, "timeoutPolicy is null");
        requireNonNull(escalationPolicy, "escalationPolicy is null");
        requireNonNull(claudeRule, "claudeRule is null");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, not " + maxConcurrent);
        }
    }

    /** Settings that leave claude commands as they are. */
    public EngineSettings(int maxConcurrent, Path workingDirectory, TimeoutPolicy timeoutPolicy,
            EscalationPolicy escalationPolicy) {
        this(maxConcurrent, workingDirectory, timeoutPolicy, escalationPolicy, ClaudeCommandRule.NONE);
    }

    public static EngineSettings defaults(Path workingDirectory) {
        return new EngineSettings(DEFAULT_MAX_CONCURRENT, workingDirectory, TimeoutPolicy.DEFAULT,
                EscalationPolicy.DEFAULT);
    }

    public EngineSettings withMaxConcurrent(int value) {
        return new EngineSettings(value, workingDirectory, timeoutPolicy, escalationPolicy, claudeRule);
    }

    public EngineSettings withClaudeRule(ClaudeCommandRule value) {
        return new EngineSettings(maxConcurrent, workingDirectory, timeoutPolicy, escalationPolicy, value);
    }
}
