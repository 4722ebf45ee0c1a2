package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.StoreException;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import dev.octo.domain.Transition;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One task's work while it holds a worker, one kind per task kind: it launches the work, stops it on
 * a cancel or a timeout, and records its end. An end the store cannot write is tried again, with
 * growing pauses, until it is written; the task keeps its worker until then.
 */
abstract sealed class Execution permits ProcessExecution, AgentExecution {

    private static final System.Logger LOG = System.getLogger(Execution.class.getName());

    final TaskId id;
    final TaskChanges changes;
    final WorkerPool pool;
    private final EngineTimers timers;
    private final Clock clock;
    private volatile boolean cancelRequested;
    private volatile boolean timedOut;
    private volatile ScheduledFuture<?> timer;

    Execution(TaskId id, TaskChanges changes, WorkerPool pool, EngineTimers timers, Clock clock) {
        this.id = requireNonNull(id, "id is null");
        this.changes = requireNonNull(changes, "changes is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.timers = requireNonNull(timers, "timers is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Starts the work of {@code task}, RUNNING now, on a thread of its own, with its timeout. */
    abstract void launch(Task task);

    /** Stops the work now, for a cancel or a timeout; its end is recorded as it comes. */
    abstract void stop();

    /**
     * What closing the engine does to the work: an agent is interrupted and stops after its current
     * turn (its thread is returned, to wait for), a process runs on for the next start to adopt
     * (the thread that starts it is returned while its process is not recorded yet).
     */
    abstract Optional<Thread> stopForClose();

    /** A user cancelled the task: its work stops, and its end will say so. */
    final void cancel() {
        cancelRequested = true;
        stop();
    }

    final boolean cancelRequested() {
        return cancelRequested;
    }

    final boolean timedOut() {
        return timedOut;
    }

    /** Stops the work when the time limit of {@code task}, in a run starting now, has passed. */
    final void scheduleTimeout(Task task) {
        Instant runStart = now();
        Optional<Instant> deadline = task.deadline(runStart);
        if (deadline.isEmpty()) {
            return;
        }
        Duration left = Duration.between(runStart, deadline.get());
        long delayMillis = Math.max(0, left.toMillis());
        timer = timers.schedule(() -> {
            LOG.log(Level.INFO, "task {0} timed out", id);
            timedOut = true;
            stop();
        }, delayMillis);
    }

    /**
     * The work is over: applies {@code outcome} to the task if it is still RUNNING (a null
     * transition leaves it as it is), frees its worker, and starts what waits. A task that went back
     * to waiting is queued again. When the store cannot write the change, it is tried again after a
     * pause, as often as it takes; the worker stays taken until it is written. {@code outcome} is
     * applied anew to the task as stored at each try, so it names its time itself.
     */
    final void ended(Function<Task, Transition> outcome) {
        ScheduledFuture<?> pending = timer;
        if (pending != null) {
            pending.cancel(false);
        }
        recordEnd(outcome, 0);
    }

    private void recordEnd(Function<Task, Transition> outcome, int failures) {
        ReentrantLock taskLock = changes.lockFor(id);
        taskLock.lock();
        try {
            Optional<Task> current = changes.find(id);
            if (current.isPresent() && current.get().status().holdsWorkerSlot()) {
                Transition transition = outcome.apply(current.get());
                if (transition instanceof Transition.Applied applied) {
                    changes.record(applied);
                    if (applied.task().status() == TaskStatus.DISPATCHED) {
                        pool.requeue(applied.task());
                    }
                } else if (transition instanceof Transition.Refused refused) {
                    LOG.log(Level.WARNING, refused.message());
                }
            }
        } catch (StoreException e) {
            Duration pause = EngineTimers.retryPause(failures);
            if (timers.later(pause, () -> recordEnd(outcome, failures + 1))) {
                LOG.log(Level.WARNING, "could not record the end of task " + id + "; trying again in "
                        + pause.toMillis() + " ms", e);
                return;
            }
            // the task stays RUNNING on disk; the next start finds its exit status and records it
            LOG.log(Level.ERROR, "could not record the end of task " + id + "; left for the next start", e);
        } finally {
            taskLock.unlock();
        }
        pool.release(this);
        pool.pump();
    }

    final Instant now() {
        return clock.instant();
    }
}
