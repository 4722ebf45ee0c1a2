package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.TimeoutPolicy;
import java.nio.file.Path;

/**
 * How the supervisor runs tasks.
 *
 * @param maxConcurrent tasks RUNNING at once ({@code BG_MAX_CONCURRENT})
 * @param workingDirectory where work runs unless a request names another folder
 */
public record SupervisorSettings(int maxConcurrent, Path workingDirectory, TimeoutPolicy timeoutPolicy,
        EscalationPolicy escalationPolicy) {

    public static final int DEFAULT_MAX_CONCURRENT = 3;

    public SupervisorSettings {
        requireNonNull(workingDirectory, "workingDirectory is null");
        requireNonNull(timeoutPolicy, "timeoutPolicy is null");
        requireNonNull(escalationPolicy, "escalationPolicy is null");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, not " + maxConcurrent);
        }
    }

    public static SupervisorSettings defaults(Path workingDirectory) {
        return new SupervisorSettings(DEFAULT_MAX_CONCURRENT, workingDirectory, TimeoutPolicy.DEFAULT,
                EscalationPolicy.DEFAULT);
    }

    public SupervisorSettings withMaxConcurrent(int value) {
        return new SupervisorSettings(value, workingDirectory, timeoutPolicy, escalationPolicy);
    }
}
