package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.TimeoutPolicy;
import java.nio.file.Path;

/**
 * How the engine runs tasks.
 *
 * @param maxConcurrent tasks RUNNING at once ({@code BG_MAX_CONCURRENT})
 * @param workingDirectory where work runs unless a request names another folder
 */
public record EngineSettings(int maxConcurrent, Path workingDirectory, TimeoutPolicy timeoutPolicy,
        EscalationPolicy escalationPolicy) {

    public static final int DEFAULT_MAX_CONCURRENT = 3;

    public EngineSettings {
        requireNonNull(workingDirectory, "workingDirectory is null");
        requireNonNull(timeoutPolicy, "timeoutPolicy is null");
        requireNonNull(escalationPolicy, "escalationPolicy is null");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, not " + maxConcurrent);
        }
    }

    public static EngineSettings defaults(Path workingDirectory) {
        return new EngineSettings(DEFAULT_MAX_CONCURRENT, workingDirectory, TimeoutPolicy.DEFAULT,
                EscalationPolicy.DEFAULT);
    }

    public EngineSettings withMaxConcurrent(int value) {
        return new EngineSettings(value, workingDirectory, timeoutPolicy, escalationPolicy);
    }
}
