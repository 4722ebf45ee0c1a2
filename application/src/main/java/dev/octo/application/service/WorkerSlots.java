package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.TaskQueries.Workload;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The bookkeeping of the {@link WorkerPool}, under one lock: which tasks hold a worker (each through
 * its {@link Execution}), which wait in the queue (oldest first), and what keeps queued tasks from
 * starting (recovery under way, a held queue, a start that waits for its retry). Everyone who waits
 * for a change waits here. The lock is taken after a task's lock, never before, and never held while
 * writing.
 */
final class WorkerSlots {

    static final Comparator<Task> OLDEST_FIRST = Comparator.comparing(Task::createdAt).thenComparing(Task::id);

    private final int maxConcurrent;
    private final AtomicBoolean closed;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Task> queue = new PriorityQueue<>(OLDEST_FIRST);
    private final Set<TaskId> queued = new HashSet<>();
    private final Map<TaskId, Execution> running = new HashMap<>();
    /** The tasks taken on since the start: ids only, a few bytes each. */
    private final Set<TaskId> sinceStart = ConcurrentHashMap.newKeySet();
    private boolean started;
    // while recovery adopts, queued tasks wait: the tasks it adopts take their workers first
    private boolean recovering;
    // after a start that could not be recorded, the next one waits for its retry
    private boolean startsHeld;
    private int failedStarts;
    /** Whether queued tasks are kept from starting ({@link #holdQueue()}). */
    private boolean queueHeld;
    /** How many tasks were taken from the queue and have not yet moved to RUNNING. */
    private int starting;

    /** {@code maxConcurrent} workers; none is taken once {@code closed} is set. */
    WorkerSlots(int maxConcurrent, AtomicBoolean closed) {
        this.maxConcurrent = maxConcurrent;
        this.closed = requireNonNull(closed, "closed is null");
    }

    /**
     * Marks the start, with {@code waiting} in the queue; nothing is taken from it before {@link
     * #recovered()}.
     *
     * @throws IllegalStateException when it was started already
     */
    void beginRecovery(List<Task> waiting) {
        lock.lock();
        try {
            if (started) {
                throw new IllegalStateException("the engine was started already");
            }
            started = true;
            recovering = true;
            waiting.forEach(this::enqueue);
        } finally {
            lock.unlock();
        }
    }

    void recovered() {
        lock.lock();
        try {
            recovering = false;
        } finally {
            lock.unlock();
        }
    }

    /** The adopted or continued task {@code id} is this run's work, as the queued ones are. */
    void tookOn(TaskId id) {
        sinceStart.add(id);
    }

    /** {@code execution}, of a task an earlier instance left RUNNING, holds a worker. */
    void occupy(Execution execution) {
        lock.lock();
        try {
            running.put(execution.id, execution);
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #occupy(Execution)}, unless the engine is closed: says whether it holds a worker. */
    boolean occupyUnlessClosed(Execution execution) {
        lock.lock();
        try {
            if (closed.get()) {
                return false;
            }
            running.put(execution.id, execution);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Queues {@code task}, and wakes whoever waits for a change when {@code signal}. */
    void enqueue(Task task, boolean signal) {
        lock.lock();
        try {
            enqueue(task);
            if (signal) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Task {@code id} was cancelled: it leaves the queue, or its work is stopped. */
    void withdraw(TaskId id) {
        lock.lock();
        try {
            dequeue(id);
            Execution execution = running.get(id);
            if (execution != null) {
                execution.cancel();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The workload as task {@code id} waits in the queue, or empty when it is not queued (it started). */
    Optional<Workload> waitingOf(TaskId id) {
        lock.lock();
        try {
            return queued.contains(id)
                    ? Optional.of(new Workload(running.size(), queue.size(), maxConcurrent))
                    : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the oldest queued task from the queue and reserves a worker for the execution {@code
     * executions} makes for it, or empty when none may start now. Call {@link #doneStarting()} after.
     */
    Optional<Execution> reserveNext(Function<Task, Execution> executions) {
        lock.lock();
        try {
            if (closed.get() || !started || queueHeld || recovering || startsHeld
                    || running.size() >= maxConcurrent
                    || queue.isEmpty()) {
                return Optional.empty();
            }
            Task head = queue.poll();
            queued.remove(head.id());
            Execution execution = executions.apply(head);
            running.put(head.id(), execution);
            starting++;
            return Optional.of(execution);
        } finally {
            lock.unlock();
        }
    }

    /** A task taken from the queue is RUNNING now, or will not start: a {@link #holdQueue()} need not wait for it. */
    void doneStarting() {
        lock.lock();
        try {
            starting--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void startRecorded() {
        lock.lock();
        try {
            failedStarts = 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The start of {@code execution}'s task could not be saved: the task ({@code waiting}, as stored)
     * is queued again at its place and starts are held.
     *
     * @return the pause before starts are tried again, longer with every failure
     */
    Duration startNotRecorded(Execution execution, Optional<Task> waiting) {
        lock.lock();
        try {
            running.remove(execution.id, execution);
            waiting.filter(task -> !task.isFinal()).ifPresent(this::enqueue);
            Duration pause = EngineTimers.retryPause(failedStarts++);
            startsHeld = true;
            changed.signalAll();
            return pause;
        } finally {
            lock.unlock();
        }
    }

    void releaseStarts() {
        lock.lock();
        try {
            startsHeld = false;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back the worker of {@code execution}, and wakes whoever waits for a change. */
    void release(Execution execution) {
        lock.lock();
        try {
            running.remove(execution.id, execution);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void holdQueue() {
        lock.lock();
        try {
            queueHeld = true;
            // one taken from the queue a moment ago is still on its way to RUNNING: wait for it, so
            // that whoever asks next what runs is told of it
            while (starting > 0) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    void releaseQueue() {
        lock.lock();
        try {
            queueHeld = false;
        } finally {
            lock.unlock();
        }
    }

    Workload workload() {
        lock.lock();
        try {
            return new Workload(running.size(), queue.size(), maxConcurrent);
        } finally {
            lock.unlock();
        }
    }

    /** The tasks that hold a worker now: their work may still write their logs or conversation. */
    List<TaskId> runningIds() {
        lock.lock();
        try {
            return List.copyOf(running.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** The tasks taken on since the start: dispatched, answered, queued again, adopted or continued. */
    List<TaskId> sinceStart() {
        return List.copyOf(sinceStart);
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Waits until no task holds a worker or waits for one, or {@code limit}. */
    boolean awaitSettled(Duration limit) throws InterruptedException {
        return awaitUntil(() -> running.isEmpty() && queue.isEmpty(), limit);
    }

    /** Waits until the work of every task cancelled while it ran has ended, or {@code limit}. */
    boolean awaitCancelledStopped(Duration limit) throws InterruptedException {
        return awaitUntil(() -> running.values().stream().noneMatch(Execution::cancelRequested), limit);
    }

    /** Waits until {@code condition}, checked under the lock after every change, or {@code limit}. */
    boolean awaitUntil(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long nanos = limit.toNanos();
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks the engine closed and stops the work that stops at a close (agents are interrupted).
     *
     * @return the threads to wait for (interrupted agents, process starts under way); empty when it
     *     was closed already
     */
    Optional<List<Thread>> close() {
        List<Thread> agentThreads = new ArrayList<>();
        lock.lock();
        try {
            if (closed.getAndSet(true)) {
                return Optional.empty();
            }
            for (Execution execution : running.values()) {
                execution.stopForClose().ifPresent(agentThreads::add);
            }
        } finally {
            lock.unlock();
        }
        return Optional.of(agentThreads);
    }

    private void enqueue(Task task) {
        // every task the engine takes on passes here: dispatched, answered, or queued again at start
        sinceStart.add(task.id());
        if (queued.add(task.id())) {
            queue.add(task);
        }
    }

    private void dequeue(TaskId id) {
        if (queued.remove(id)) {
            queue.removeIf(task -> task.id().equals(id));
        }
    }
}
