package dev.octo.application.port.out;

import dev.octo.domain.ProcessRef;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.TaskId;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Runs the shell commands of process tasks. A process started here does not depend on Octo: it
 * runs in a process group of its own, writes its output to files, and leaves its exit status in a
 * file when it ends, so a later Octo can {@link #adopt adopt} it.
 */
public interface ProcessRunner {

    /**
     * Starts {@code spec}'s command for task {@code id} and returns at once.
     *
     * @throws ProcessStartException when the command cannot be started (a missing working
     *     directory, for example)
     */
    RunningProcess start(TaskId id, ProcessSpec spec);

    /**
     * Finds again the process of task {@code id} after Octo restarted. {@code known} is the process
     * recorded on the task, if it was recorded before the restart.
     *
     * @return the process still running, the exit it recorded while nobody watched, or that it is
     *     gone without a trace
     */
    Adoption adopt(TaskId id, Optional<ProcessRef> known);

    /**
     * The last {@code maxLines} lines of task {@code id}'s output, stdout and stderr each under its
     * own heading; empty when the task has written nothing.
     */
    String outputTail(TaskId id, int maxLines);

    /**
     * Removes the files the process of task {@code id} left: its output logs and its exit status.
     * Call it only once the task is final and its process has ended. Files that are not there are
     * no error, so a task that never started, or an agent task, can be passed too.
     *
     * @throws StoreException when a file is there and cannot be removed; the others are removed
     *     all the same
     */
    void deleteFiles(TaskId id);

    /**
     * The files that hold the whole output of task {@code id}: its stdout log, then its stderr log,
     * whether or not its command has written them yet.
     */
    List<Path> logFiles(TaskId id);

    /**
     * The exit status task {@code id}'s command recorded when it ended; empty while it runs, and when
     * it ended without recording one (it was killed) or its files are gone.
     */
    Optional<Integer> recordedExitCode(TaskId id);

    /**
     * What task {@code id}'s command wrote to stdout and stderr after {@code from}: of each, at most
     * the last {@code maxBytes} bytes, and how many were left out before them. A log that is shorter
     * than {@code from} was written anew and is read from its start.
     */
    OutputChunk outputSince(TaskId id, OutputChunk.Position from, int maxBytes);

    /** What became of a process that ran while Octo was away. */
    sealed interface Adoption {
        /** It still runs; it is watched again through {@code process}. */
        record StillRunning(RunningProcess process) implements Adoption {
        }

        /** It ended and left {@code exit}. */
        record Ended(ProcessExit exit) implements Adoption {
        }

        /** No process and no exit status: the machine rebooted, or the files were removed. */
        record Gone() implements Adoption {
        }
    }
}
