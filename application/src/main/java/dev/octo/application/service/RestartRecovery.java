package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.ProcessRunner;
import dev.octo.application.port.out.TaskStore;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.Transition;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * What happens at start to the tasks an earlier instance left: DISPATCHED and RESUMED tasks are
 * queued again (a DISPATCHED process task only when its command never ran: its start and its
 * process are written with its next saved change, its end at the latest, so one whose command ran
 * is adopted as a RUNNING one is), a RUNNING process task is adopted (watched again if its process
 * still runs, finished from its recorded exit status if it ended, queued again if its command never
 * ran, failed as interrupted if it is gone), a RUNNING agent task continues from its saved
 * conversation, and PAUSED tasks keep waiting for their answer. Adopted tasks take their workers
 * before queued ones start.
 */
final class RestartRecovery {

    private static final System.Logger LOG = System.getLogger(RestartRecovery.class.getName());
    static final String INTERRUPTED = "Interrupted: the process was gone without an exit status when Octo"
            + " started again (the machine may have restarted)";
    static final String UNREADABLE_STATUS = "Interrupted: the process was gone when Octo started again, and it left"
            + " no exit status that can be read: ";

    private final TaskStore store;
    private final ProcessRunner processes;
    private final WorkerSlots slots;
    private final WorkerPool pool;
    private final Clock clock;
    private final Function<Task, ProcessExecution> processExecutions;
    /** What recovery found wrong in the files of tasks, reported with the store's load problems. */
    private final List<String> problems = new CopyOnWriteArrayList<>();

    RestartRecovery(TaskStore store, ProcessRunner processes, WorkerSlots slots, WorkerPool pool, Clock clock,
            Function<Task, ProcessExecution> processExecutions) {
        this.store = requireNonNull(store, "store is null");
        this.processes = requireNonNull(processes, "processes is null");
        this.slots = requireNonNull(slots, "slots is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.processExecutions = requireNonNull(processExecutions, "processExecutions is null");
    }

    /**
     * Picks up every stored task that is not final, then lets queued work start.
     *
     * @throws IllegalStateException when the engine was started already
     */
    void run() {
        List<Task> toQueue = new ArrayList<>();
        List<Task> toAdopt = new ArrayList<>();
        List<Task> toContinue = new ArrayList<>();
        List<Task> startedUnrecorded = new ArrayList<>();
        for (Task task : store.unfinished()) {
            switch (task.status()) {
                case DISPATCHED -> {
                    switch (task.kind()) {
                        // its start and process are kept in memory, not written (one write less per
                        // task): the file of one whose command runs or ran still says DISPATCHED.
                        // The runner finds its process by its marker, its exit file, or its logs.
                        case PROCESS -> startedUnrecorded.add(task);
                        case AGENT -> toQueue.add(task);
                    }
                }
                case RESUMED -> toQueue.add(task);
                case RUNNING -> {
                    switch (task.kind()) {
                        case PROCESS -> toAdopt.add(task);
                        // it held a worker when Octo stopped: it continues from its saved
                        // conversation at once, so that it never shows RUNNING while it waits
                        case AGENT -> toContinue.add(task);
                    }
                }
                case PAUSED, COMPLETED, FAILED, CANCELLED -> {
                    // a paused task waits for its answer; a final one never changes
                }
            }
        }
        Map<TaskId, ProcessRunner.Adoption> found = new HashMap<>();
        for (Task task : startedUnrecorded) {
            ProcessRunner.Adoption adoption = adoption(task);
            if (adoption instanceof ProcessRunner.Adoption.NeverStarted) {
                toQueue.add(task);
            } else if (task.start(startOf(task, adoption)) instanceof Transition.Applied started) {
                LOG.log(Level.INFO, "the command of task {0} ran although its start was not recorded", task.id());
                // the RUNNING task the adoption below goes on from; its next save writes it
                store.stage(started.task());
                found.put(task.id(), adoption);
                toAdopt.add(started.task());
            }
        }
        slots.beginRecovery(toQueue);
        // adopted and continued tasks are this run's work, as the queued ones are
        toAdopt.forEach(task -> slots.tookOn(task.id()));
        toContinue.forEach(task -> slots.tookOn(task.id()));
        toAdopt.sort(WorkerSlots.OLDEST_FIRST);
        for (Task task : toAdopt) {
            adopt(task, found.containsKey(task.id()) ? found.get(task.id()) : adoption(task));
        }
        toContinue.sort(WorkerSlots.OLDEST_FIRST);
        pool.endRecovery(toContinue);
    }

    /** What recovery found wrong in the files of tasks (an exit status that cannot be read). */
    List<String> problems() {
        return problems;
    }

    /**
     * When a task whose start was not written started: its process's start, or its command's as its
     * files tell, where that is known; never before it was dispatched, nor after it ended.
     */
    private static Instant startOf(Task task, ProcessRunner.Adoption adoption) {
        Instant started = switch (adoption) {
            case ProcessRunner.Adoption.StillRunning still -> still.process().ref().processStart();
            case ProcessRunner.Adoption.Ended ended -> {
                Instant start = ended.commandStarted().orElse(task.updatedAt());
                Optional<Instant> end = ended.exit().endedAt();
                yield end.isPresent() && start.isAfter(end.get()) ? end.get() : start;
            }
            case ProcessRunner.Adoption.NeverStarted never -> task.updatedAt();
            case ProcessRunner.Adoption.Gone gone -> task.updatedAt();
        };
        return started.isBefore(task.updatedAt()) ? task.updatedAt() : started;
    }

    private ProcessRunner.Adoption adoption(Task task) {
        try {
            return processes.adopt(task.id(), task.process());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not adopt the process of task " + task.id(), e);
            return new ProcessRunner.Adoption.Gone();
        }
    }

    private void adopt(Task task, ProcessRunner.Adoption adoption) {
        ProcessExecution execution = processExecutions.apply(task);
        slots.occupy(execution);
        switch (adoption) {
            case ProcessRunner.Adoption.StillRunning still -> {
                LOG.log(Level.INFO, "adopted the running process of task {0}", task.id());
                execution.adopt(task, still.process());
            }
            case ProcessRunner.Adoption.Ended ended -> execution.endedUnwatched(ended.exit());
            case ProcessRunner.Adoption.NeverStarted neverStarted -> {
                LOG.log(Level.INFO, "the command of task {0} never ran: it is queued again", task.id());
                Instant at = clock.instant();
                execution.ended(current -> current.requeue(at));
            }
            case ProcessRunner.Adoption.Gone gone -> {
                gone.problem().ifPresent(problems::add);
                String reason = gone.problem().map(problem -> UNREADABLE_STATUS + problem).orElse(INTERRUPTED);
                Instant at = clock.instant();
                execution.ended(current -> current.fail(reason, at));
            }
        }
    }
}
