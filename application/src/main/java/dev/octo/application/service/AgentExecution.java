package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.AgentRunner;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.Task;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * An agent task's work: the {@link AgentRunner} runs it on a thread of its own until it completes,
 * fails, or asks a question (the task pauses for the answer, {@link Task#ask}). Its timeout counts
 * from this run, so a pause does not eat it ({@link Task#deadline}). Closing the engine interrupts
 * it: it stops after its current turn, stays RUNNING, and the next start continues it from its
 * saved conversation.
 */
final class AgentExecution extends Execution {

    private static final System.Logger LOG = System.getLogger(AgentExecution.class.getName());

    private final AgentRunner agents;
    private final EscalationPolicy escalationPolicy;
    private volatile Thread thread;

    AgentExecution(Task task, TaskChanges changes, WorkerPool pool, EngineTimers timers, Clock clock,
            AgentRunner agents, EscalationPolicy escalationPolicy) {
        super(task.id(), changes, pool, timers, clock);
        this.agents = requireNonNull(agents, "agents is null");
        this.escalationPolicy = requireNonNull(escalationPolicy, "escalationPolicy is null");
    }

    @Override
    void launch(Task task) {
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
                outcome = agents.run(task);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "agent task " + task.id() + " failed", e);
                outcome = new AgentRunner.Outcome.Failed("Agent error: " + e.getMessage());
            }
        }
        Thread.interrupted(); // an interrupt was for the agent; this thread is done with it
        AgentRunner.Outcome result = outcome;
        Instant at = now(); // when the run ended, also if the store takes a while to record it
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
}
