package dev.octo.domain;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The operating-system process that runs a process task: its pid, which is also its process group
 * id, and the instant the OS says it started. The start instant tells the task's process apart from
 * an unrelated one that was later given the same pid.
 */
public record ProcessRef(long pid, Instant processStart) {

    public ProcessRef {
        requireNonNull(processStart, "processStart is null");
        if (pid <= 0) {
            throw new IllegalArgumentException("a pid is positive, not " + pid);
        }
    }
}
