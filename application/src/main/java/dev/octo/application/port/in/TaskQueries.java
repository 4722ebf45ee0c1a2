package dev.octo.application.port.in;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.OutputChunk;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEntry;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads tasks without changing them. */
public interface TaskQueries {

    /**
     * Every task as its entry, newest first; only those in {@code status} when given. Answered from
     * memory: no task file is read, however many tasks are stored.
     */
    List<TaskEntry> list(Optional<TaskStatus> status);

    Optional<Task> find(TaskId id);

    /**
     * The tasks the engine took on since it started, newest first, as they are now: those
     * dispatched since (retries and follow-ups included), those it picked up at start (queued again,
     * adopted or continued) and paused ones answered since. Tasks it found final or paused and left
     * so are not among them, nor are tasks removed since.
     */
    List<Task> listSinceStart();

    /** The task a user means by {@code idOrPrefix}: a whole id or a unique prefix of one. */
    Resolution resolve(String idOrPrefix);

    /** The last {@code maxLines} lines of the task's output; empty when it has none. */
    String outputTail(TaskId id, int maxLines);

    /**
     * The files that hold the task's whole output, its stdout log first; empty for a task that keeps
     * none (an agent task) or an unknown one.
     */
    List<Path> logFiles(TaskId id);

    /**
     * The exit status a finished process task's command recorded; empty for any other task, and
     * when none was recorded (the command was killed: cancelled or timed out).
     */
    Optional<Integer> exitCode(TaskId id);

    /**
     * What the task wrote after {@code from}, at most the last {@code maxBytes} bytes of each
     * stream: call again with the chunk's end to follow it. Nothing for a task without logs.
     */
    OutputChunk outputSince(TaskId id, OutputChunk.Position from, int maxBytes);

    /**
     * How many stored tasks are in each status that is not final now (what a prompt shows), every
     * such status a key (zero when none), and no final one. Cheap enough to ask on every keystroke:
     * it reads no task file, sorts nothing, and does not wait for a large store's old tasks to load.
     */
    Map<TaskStatus, Integer> unfinishedCounts();

    /** The process tasks whose commands are running now, oldest first. */
    List<Task> runningProcessTasks();

    /** How many tasks hold a worker now, how many wait for one, and how many may run at once. */
    Workload workload();

    /**
     * Blocks until task {@code id} is final or {@code limit} has passed.
     *
     * @return the task as it is then
     */
    Optional<Task> awaitFinal(TaskId id, Duration limit) throws InterruptedException;

    /**
     * Blocks until no task is DISPATCHED, RUNNING or RESUMED (PAUSED tasks wait on a person, so
     * they do not hold this up), or {@code limit} has passed.
     *
     * @return whether every task came to rest in time
     */
    boolean awaitAllSettled(Duration limit) throws InterruptedException;

    /** Lines about task files that could not be loaded at start. */
    List<String> loadProblems();

    /**
     * The worker pool at one moment.
     *
     * @param running tasks holding a worker: their command or agent runs
     * @param waiting tasks queued for a free worker (dispatched or resumed)
     * @param limit how many may run at once ({@code BG_MAX_CONCURRENT})
     */
    record Workload(int running, int waiting, int limit) {
    }

    /** What a user's id or prefix names. */
    sealed interface Resolution {
        record Found(Task task) implements Resolution {
            public Found {
                requireNonNull(task, "task is null");
            }
        }

        record NotFound(String idOrPrefix) implements Resolution {
        }

        record Ambiguous(String prefix, List<TaskId> candidates) implements Resolution {
            public Ambiguous {
                candidates = List.copyOf(candidates);
            }
        }
    }
}
