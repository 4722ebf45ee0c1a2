package dev.octo.application.port.out;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * How a process task's command ended.
 *
 * @param exitCode the shell's exit status: 0 is success; above 128 a signal ended the command
 * @param stdoutTail the end of what the command wrote to stdout (at most 64 KiB)
 * @param stderrTail the end of what it wrote to stderr (at most 16 KiB)
 * @param endedAt when the command ended, when that is known from what it left behind (the time its
 *     status was recorded); empty when its end was seen as it happened, so that it ended just now
 */
public record ProcessExit(int exitCode, String stdoutTail, String stderrTail, Optional<Instant> endedAt) {

    public ProcessExit {
        requireNonNull(stdoutTail, "stdoutTail is null");
        requireNonNull(stderrTail, "stderrTail is null");
        requireNonNull(endedAt, "endedAt is null");
    }

    /** A command whose end was seen as it happened. */
    public ProcessExit(int exitCode, String stdoutTail, String stderrTail) {
        this(exitCode, stdoutTail, stderrTail, Optional.empty());
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Why a command that did not succeed failed: the exit code or signal, then stderr's end. */
    public String failureReason() {
        StringBuilder reason = new StringBuilder();
        if (exitCode > 128 && exitCode < 128 + 65) {
            reason.append("Exit code ").append(exitCode).append(" (killed by signal ")
                    .append(exitCode - 128).append(')');
        } else {
            reason.append("Exit code ").append(exitCode);
        }
        if (!stderrTail.isBlank()) {
            reason.append('\n').append(stderrTail);
        }
        return reason.toString();
    }
}
