package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.ProcessExit;
import dev.octo.application.port.out.ProcessRunner;
import dev.octo.application.port.out.RunningProcess;
import dev.octo.application.port.out.StoreException;
import dev.octo.domain.ClaudeCommandRule;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.Transition;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A process task's work: its command runs through the {@link ProcessRunner} and the task ends with
 * its exit status ({@link Task#exited}). Its timeout counts from the task's start, across restarts
 * ({@link Task#deadline}). Closing the engine never stops it: the process runs on, and the next
 * start adopts it.
 */
final class ProcessExecution extends Execution {

    private static final System.Logger LOG = System.getLogger(ProcessExecution.class.getName());

    private final ProcessRunner processes;
    private final ClaudeCommandRule claudeRule;
    private volatile RunningProcess process;
    // the thread that starts the process, until the process is recorded: a close waits for it, so
    // that a task left running after a clean stop always has its process on record (a command that
    // replaced its shell can be found again by nothing else)
    private volatile Thread starting;

    ProcessExecution(Task task, TaskChanges changes, WorkerPool pool, EngineTimers timers, Clock clock,
            ProcessRunner processes, ClaudeCommandRule claudeRule) {
        super(task.id(), changes, pool, timers, clock);
        this.processes = requireNonNull(processes, "processes is null");
        this.claudeRule = requireNonNull(claudeRule, "claudeRule is null");
    }

    @Override
    void launch(Task task) {
        if (!(task.spec() instanceof ProcessSpec spec)) {
            throw new IllegalArgumentException("task " + task.id() + " is no process task");
        }
        scheduleTimeout(task);
        Thread thread = Thread.ofVirtual().name("task-" + task.id()).unstarted(() -> run(spec));
        starting = thread;
        thread.start();
    }

    /**
     * Watches again the process of {@code task} that an earlier instance started and that still
     * runs, and records it when the one that runs is not the one recorded.
     */
    void adopt(Task task, RunningProcess running) {
        process = running;
        // none was recorded, or the one that runs now is another (the status writer its shell left)
        if (!task.process().equals(Optional.of(running.ref()))) {
            try {
                changes.save(task.withProcess(running.ref(), now()));
            } catch (StoreException e) {
                LOG.log(Level.WARNING, "could not record the process of task " + task.id(), e);
            }
        }
        scheduleTimeout(task);
        watch(running);
    }

    /** The process ended while no instance watched it: the task ends with its recorded exit. */
    void endedUnwatched(ProcessExit exit) {
        ended(outcome(exit));
    }

    @Override
    void stop() {
        RunningProcess p = process;
        if (p != null) {
            p.terminate();
        }
    }

    /** The process runs on; only a start under way is waited for, until its process is recorded. */
    @Override
    Optional<Thread> stopForClose() {
        return Optional.ofNullable(starting);
    }

    private void run(ProcessSpec spec) {
        try {
            startAndRecord(spec);
        } finally {
            starting = null;
        }
    }

    private void startAndRecord(ProcessSpec spec) {
        RunningProcess started;
        try {
            started = processes.start(id, commandToRun(spec));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "task " + id + " could not start", e);
            Instant at = now();
            ended(task -> task.fail("Could not start the command: " + e.getMessage(), at));
            return;
        }
        process = started;
        ReentrantLock taskLock = changes.lockFor(id);
        taskLock.lock();
        try {
            Optional<Task> current = changes.find(id);
            if (current.isPresent() && current.get().status().holdsWorkerSlot()) {
                // kept, not written: the task's file says DISPATCHED until its end is saved, and a
                // start after a crash finds the command's process by its marker, or its exit file, or
                // knows from the missing logs that it never ran (RestartRecovery, DISPATCHED)
                changes.stage(current.get().withProcess(started.ref(), now()));
            }
        } catch (StoreException e) {
            // the process is found again by its marker if Octo dies now
            LOG.log(Level.WARNING, "could not record the process of task " + id, e);
        } finally {
            taskLock.unlock();
        }
        // a cancel or timeout that came while the process started found no process to stop
        if (cancelRequested() || timedOut()) {
            started.terminate();
        }
        watch(started);
    }

    /**
     * {@code spec} with the command that runs: the claude rule applied, so that every runner gets
     * the final command. The task keeps the command as it was typed, which is what it shows.
     */
    private ProcessSpec commandToRun(ProcessSpec spec) {
        return new ProcessSpec(claudeRule.apply(spec.command()), spec.workingDirectory(), spec.environment(),
                spec.timeout());
    }

    private void watch(RunningProcess running) {
        running.exit().whenComplete((exit, error) -> {
            if (error != null) {
                LOG.log(Level.WARNING, "lost track of the process of task " + id, error);
                Instant at = now();
                ended(task -> task.fail("Lost track of the process: " + error.getMessage(), at));
            } else {
                ended(outcome(exit));
            }
        });
    }

    /** The end of a task's process: at the time it ended when that is known, else now. */
    private Function<Task, Transition> outcome(ProcessExit exit) {
        Instant at = exit.endedAt().orElseGet(this::now);
        return task -> task.exited(exit.exitCode(), exit.stdoutTail(), exit.failureReason(), timedOut(), at);
    }
}
