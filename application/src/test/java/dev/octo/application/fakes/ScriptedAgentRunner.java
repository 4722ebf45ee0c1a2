package dev.octo.application.fakes;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.AgentRunner;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link AgentRunner} that plays a script instead of talking to a model. Each {@link #run} takes
 * the next step scripted for that task ({@link #script}), else the next of the shared queue
 * ({@link #enqueue}), else the fallback ({@link #whenUnscripted}, by default a failure that says
 * nothing was scripted). It records every task it was run with, as it was given.
 */
public final class ScriptedAgentRunner implements AgentRunner {

    /** One run of the agent. */
    @FunctionalInterface
    public interface Step {

        Outcome perform(Task task) throws InterruptedException;

        static Step complete(String summary) {
            Outcome outcome = new Outcome.Completed(summary);
            return task -> outcome;
        }

        static Step escalate(String question) {
            Outcome outcome = new Outcome.Escalated(question);
            return task -> outcome;
        }

        static Step fail(String reason) {
            Outcome outcome = new Outcome.Failed(reason);
            return task -> outcome;
        }

        /** The run throws {@code error}, as a broken runner would. */
        static Step throwing(RuntimeException error) {
            requireNonNull(error, "error is null");
            return task -> {
                throw error;
            };
        }

        /**
         * Takes {@code turns} turns of {@code inputTokens} and {@code outputTokens} each, telling the
         * run's progress of each, then plays {@code then}.
         */
        static Step takingTurns(int turns, long inputTokens, long outputTokens, Step then) {
            requireNonNull(then, "then is null");
            return task -> {
                Progress progress = PROGRESS.get();
                for (int i = 0; i < turns; i++) {
                    progress.turnEnded(inputTokens, outputTokens);
                }
                return then.perform(task);
            };
        }

        /** Works until interrupted (cancel, timeout, shutdown), then reports {@link Outcome.Stopped}. */
        static Step blockUntilInterrupted() {
            return task -> {
                new CountDownLatch(1).await();
                throw new AssertionError("unreachable");
            };
        }
    }

    /** The progress of the run on this thread, for the steps that take turns. */
    private static final ThreadLocal<Progress> PROGRESS = ThreadLocal.withInitial(() -> Progress.NONE);

    private final Map<TaskId, Deque<Step>> perTask = new HashMap<>();
    private final Deque<Step> shared = new ArrayDeque<>();
    private volatile Step fallback = task -> new Outcome.Failed("no outcome scripted for task " + task.id());
    private final List<Task> runs = new CopyOnWriteArrayList<>();
    private final Set<TaskId> blocked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger interruptions = new AtomicInteger();

    /** The next runs of task {@code id} play {@code steps}, in order. */
    public synchronized ScriptedAgentRunner script(TaskId id, Step... steps) {
        Deque<Step> queue = perTask.computeIfAbsent(requireNonNull(id, "id is null"), key -> new ArrayDeque<>());
        for (Step step : steps) {
            queue.addLast(requireNonNull(step, "step is null"));
        }
        return this;
    }

    /** The next runs of any task without a script of its own play {@code steps}, in order. */
    public synchronized ScriptedAgentRunner enqueue(Step... steps) {
        for (Step step : steps) {
            shared.addLast(requireNonNull(step, "step is null"));
        }
        return this;
    }

    /** What a run plays when nothing else is scripted. */
    public ScriptedAgentRunner whenUnscripted(Step step) {
        this.fallback = requireNonNull(step, "step is null");
        return this;
    }

    @Override
    public Outcome run(Task task) {
        return run(task, Progress.NONE);
    }

    @Override
    public Outcome run(Task task, Progress progress) {
        requireNonNull(task, "task is null");
        requireNonNull(progress, "progress is null");
        runs.add(task);
        synchronized (this) {
            notifyAll();
        }
        Step step = nextStep(task.id());
        blocked.add(task.id());
        PROGRESS.set(progress);
        try {
            return step.perform(task);
        } catch (InterruptedException e) {
            interruptions.incrementAndGet();
            return new Outcome.Stopped();
        } finally {
            PROGRESS.remove();
            blocked.remove(task.id());
        }
    }

    private synchronized Step nextStep(TaskId id) {
        Deque<Step> own = perTask.get(id);
        if (own != null && !own.isEmpty()) {
            return own.removeFirst();
        }
        if (!shared.isEmpty()) {
            return shared.removeFirst();
        }
        return fallback;
    }

    // ---- what happened --------------------------------------------------------------------------

    /** Every task the runner was run with, as it was given, in order. */
    public List<Task> runs() {
        return List.copyOf(runs);
    }

    /** The runs of task {@code id}, in order. */
    public List<Task> runsOf(TaskId id) {
        return runs.stream().filter(task -> task.id().equals(id)).toList();
    }

    /** Whether a run of task {@code id} is in progress now. */
    public boolean isRunning(TaskId id) {
        return blocked.contains(id);
    }

    /** How many runs ended because they were interrupted. */
    public int interruptions() {
        return interruptions.get();
    }

    /** Waits until task {@code id} has been run at least {@code times} times; returns the last run. */
    public Task awaitRun(TaskId id, int times, Duration limit) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (this) {
            while (runsOf(id).size() < times) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("task " + id + " was run " + runsOf(id).size() + " times, not "
                            + times + ", within " + limit);
                }
                wait(Math.max(1, left / 1_000_000));
            }
            List<Task> mine = runsOf(id);
            return mine.get(mine.size() - 1);
        }
    }
}
