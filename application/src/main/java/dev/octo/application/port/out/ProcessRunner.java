package dev.octo.application.port.out;

import static java.util.Objects.requireNonNull;

import dev.octo.domain.ProcessRef;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.TaskId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs the shell commands of process tasks. A process started here does not depend on Octo: it
 * runs in a process group of its own, writes its output to files, and leaves its exit status in a
 * file when it ends, so a later Octo can {@link #adopt adopt} it.
 */
public interface ProcessRunner {

    /**
     * Starts {@code spec}'s command for task {@code id} and returns at once. The command is run as
     * it is given: rules such as the extra claude arguments were applied by the caller.
     *
     * @throws ProcessStartException when the command cannot be started (a missing working
     *     directory, for example)
     */
    RunningProcess start(TaskId id, ProcessSpec spec);

    /**
     * Finds again the process of task {@code id} after Octo restarted. {@code known} is the process
     * recorded on the task, if it was recorded before the restart; a process of the task that still
     * runs is found even when {@code known} is empty or names another, so that no command ever runs
     * twice.
     *
     * @return the process still running, the exit it recorded while nobody watched, that its command
     *     never ran (it may be started now), or that it is gone without a status
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

        /**
         * It ended and left {@code exit}.
         *
         * @param commandStarted when its command started, where its files tell: the start of a task
         *     whose start was not written before Octo stopped
         */
        record Ended(ProcessExit exit, Optional<Instant> commandStarted) implements Adoption {
            public Ended {
                requireNonNull(exit, "exit is null");
                requireNonNull(commandStarted, "commandStarted is null");
            }

            /** Ended, when nothing tells when its command started. */
            public Ended(ProcessExit exit) {
                this(exit, Optional.empty());
            }
        }

        /**
         * No process of the task runs, and nothing shows that its command ever ran: Octo stopped
         * after it recorded the start and before the command began. Starting it now runs it once.
         */
        record NeverStarted() implements Adoption {
        }

        /**
         * The command ran, but no process of it runs and it left no exit status: the machine
         * rebooted, the process was killed before it could record one, or the files were removed.
         *
         * @param problem what was wrong with the exit status it left, when there was something that
         *     could not be read as one; one line naming the file, fit to report like a task file that
         *     could not be loaded
         */
        record Gone(Optional<String> problem) implements Adoption {
            public Gone {
                requireNonNull(problem, "problem is null");
            }

            /** Gone, leaving no exit file at all. */
            public Gone() {
                this(Optional.empty());
            }
        }
    }
}
