package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.StoreException;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.Transition;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The worker pool: runs at most {@link EngineSettings#maxConcurrent()} tasks at once, each through
 * the {@link Execution} of its kind, while the rest wait, oldest first. A worker is reserved in the
 * {@link WorkerSlots}; the task is started (and saved) under its own lock only, so that the writes
 * of different tasks overlap. A start the store could not write holds the queue back until it is
 * tried again, after a pause that grows with every failure.
 */
final class WorkerPool {

    private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

    private final WorkerSlots slots;
    private final TaskChanges changes;
    private final EngineTimers timers;
    private final Clock clock;
    private final Function<Task, Execution> executions;

    /** A pool whose workers {@code slots} count, giving each task the work {@code executions} makes for it. */
    WorkerPool(WorkerSlots slots, TaskChanges changes, EngineTimers timers, Clock clock,
            Function<Task, Execution> executions) {
        this.slots = requireNonNull(slots, "slots is null");
        this.changes = requireNonNull(changes, "changes is null");
        this.timers = requireNonNull(timers, "timers is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.executions = requireNonNull(executions, "executions is null");
    }

    /**
     * Continues {@code agentTasks}, RUNNING when an earlier instance stopped, each on a worker at
     * once (so that none shows RUNNING while it waits), then lets queued tasks start.
     */
    void endRecovery(List<Task> agentTasks) {
        for (Task task : agentTasks) {
            Execution execution = executions.apply(task);
            if (!slots.occupyUnlessClosed(execution)) {
                break;
            }
            execution.launch(task);
        }
        slots.recovered();
        pump();
    }

    /** Queues {@code task}, new or answered, and starts what may start. */
    void add(Task task) {
        slots.enqueue(task, true);
        pump();
    }

    /** Puts {@code task}, back to DISPATCHED, in the queue; it starts when a worker is free. */
    void requeue(Task task) {
        slots.enqueue(task, false);
    }

    /** Gives back the worker of {@code execution}, whose work is over. */
    void release(Execution execution) {
        slots.release(execution);
    }

    void releaseQueue() {
        slots.releaseQueue();
        pump();
    }

    boolean isClosed() {
        return slots.isClosed();
    }

    /** Starts queued tasks while there are free workers. */
    void pump() {
        while (true) {
            Optional<Execution> reserved = slots.reserveNext(executions);
            if (reserved.isEmpty()) {
                return;
            }
            Execution execution = reserved.get();
            Optional<Task> started;
            try {
                started = startQueued(execution.id);
            } catch (StoreException e) {
                startNotRecorded(execution, e);
                return;
            } finally {
                slots.doneStarting();
            }
            slots.startRecorded();
            if (started.isPresent()) {
                execution.launch(started.get());
            } else {
                slots.release(execution);
            }
        }
    }

    /**
     * The queued task {@code id} moved to RUNNING and saved, or empty when it may not start.
     *
     * @throws StoreException when the start cannot be saved; the task is still DISPATCHED
     */
    private Optional<Task> startQueued(TaskId id) {
        ReentrantLock taskLock = changes.lockFor(id);
        taskLock.lock();
        try {
            Optional<Task> current = changes.find(id);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            if (current.get().status().holdsWorkerSlot()) {
                return current; // an agent task that continues after a restart
            }
            if (!(current.get().start(clock.instant()) instanceof Transition.Applied applied)) {
                return Optional.empty(); // cancelled while it waited
            }
            switch (applied.task().kind()) {
                // the save that records its process, right after it starts, writes the start too: a
                // crash before it leaves the task DISPATCHED on disk, and recovery then asks whether
                // its command ran (RestartRecovery)
                case PROCESS -> changes.stage(applied);
                case AGENT -> changes.record(applied);
            }
            return Optional.of(applied.task());
        } finally {
            taskLock.unlock();
        }
    }

    /**
     * The start of {@code execution}'s task could not be saved: the task waits at its place in the
     * queue again, and no task starts until a retry after a pause that grows with every failure.
     */
    private void startNotRecorded(Execution execution, StoreException e) {
        Duration pause = slots.startNotRecorded(execution, changes.find(execution.id));
        LOG.log(Level.WARNING, "could not record the start of task " + execution.id + "; starts are tried again in "
                + pause.toMillis() + " ms", e);
        boolean willRetry = timers.later(pause, () -> {
            slots.releaseStarts();
            pump();
        });
        if (!willRetry) {
            LOG.log(Level.INFO, "task {0} stays queued for the next start", execution.id);
        }
    }
}
