package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.AgentRunner;
import dev.octo.application.port.out.StoreException;
import dev.octo.domain.AgentUsage;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.Task;
import dev.octo.domain.TaskStatus;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * An agent task's work: the {@link AgentRunner} runs it on a thread of its own until it completes,
 * fails, or asks a question (the task pauses for the answer, {@link Task#ask}). Each turn's tokens,
 * and the running time so far, are recorded on the task as the turn ends ({@link Task#usage()}), and
 * the running time once more when the run ends. Its timeout counts running time only: a run gets
 * what the earlier runs left ({@link Task#deadline}), so neither a pause nor a restart eats it.
 * Closing the engine interrupts it: it stops, stays RUNNING, and the next start continues it from
 * its saved conversation.
 */
final class AgentExecution extends Execution {

    private static final System.Logger LOG = System.getLogger(AgentExecution.class.getName());

    private final AgentRunner agents;
    private final EscalationPolicy escalationPolicy;
    private volatile Thread thread;
    /** When this run started, and the running time of the runs before it. */
    private volatile Instant runStart;
    private volatile Duration earlierRunningTime = Duration.ZERO;

    AgentExecution(Task task, TaskChanges changes, WorkerPool pool, EngineTimers timers, Clock clock,
            AgentRunner agents, EscalationPolicy escalationPolicy) {
        super(task.id(), changes, pool, timers, clock);
        this.agents = requireNonNull(agents, "agents is null");
        this.escalationPolicy = requireNonNull(escalationPolicy, "escalationPolicy is null");
    }

    @Override
    void launch(Task task) {
        runStart = now();
        earlierRunningTime = task.usage().runningTime();
        scheduleTimeout(task);
        Thread.ofVirtual().name("task-" + task.id()).start(() -> run(task));
    }

    @Override
    void stop() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    Optional<Thread> stopForClose() {
        Thread t = thread;
        if (t == null) {
            return Optional.empty();
        }
        t.interrupt();
        return Optional.of(t);
    }

    private void run(Task task) {
        thread = Thread.currentThread();
        AgentRunner.Outcome outcome;
        if (cancelRequested() || pool.isClosed()) {
            outcome = new AgentRunner.Outcome.Stopped();
        } else {
            try {
                outcome = agents.run(task, this::turnEnded);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "agent task " + task.id() + " failed", e);
                outcome = new AgentRunner.Outcome.Failed("Agent error: " + e.getMessage());
            }
        }
        Thread.interrupted(); // an interrupt was for the agent; this thread is done with it
        AgentRunner.Outcome result = outcome;
        Instant at = now(); // when the run ended, also if the store takes a while to record it
        recordUsage(usage -> usage, at); // also for a run that stays RUNNING when the engine closes
        ended(current -> switch (result) {
            case AgentRunner.Outcome.Completed completed -> current.complete(completed.summary(), at);
            case AgentRunner.Outcome.Escalated escalated -> current.ask(escalated.question(), at, escalationPolicy);
            case AgentRunner.Outcome.Failed failed -> current.fail(failed.reason(), at);
            case AgentRunner.Outcome.Stopped stopped -> {
                if (timedOut()) {
                    yield current.fail(current.timedOutReason(), at);
                }
                if (pool.isClosed()) {
                    yield null; // stays RUNNING: the next start continues it
                }
                yield current.fail("The agent stopped without finishing", at);
            }
        });
    }

    private void turnEnded(long inputTokens, long outputTokens) {
        recordUsage(usage -> usage.plusTurn(inputTokens, outputTokens), now());
    }

    /**
     * Records on the task, if it still runs, its usage changed by {@code change} and its running time
     * up to {@code at}. A save that fails is logged and left: the next turn, or the end, records it.
     */
    private void recordUsage(UnaryOperator<AgentUsage> change, Instant at) {
        ReentrantLock taskLock = changes.lockFor(id);
        taskLock.lock();
        try {
            Optional<Task> current = changes.find(id);
            if (current.isPresent() && current.get().status() == TaskStatus.RUNNING) {
                Duration ran = earlierRunningTime.plus(Duration.between(runStart, at));
                AgentUsage usage = change.apply(current.get().usage())
                        .withRunningTime(ran.isNegative() ? Duration.ZERO : ran);
                changes.save(current.get().withUsage(usage, at));
            }
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "could not record the usage of agent task " + id, e);
        } finally {
            taskLock.unlock();
        }
    }
}
