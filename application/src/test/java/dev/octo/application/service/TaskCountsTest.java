package dev.octo.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.port.in.CleanTasks;
import dev.octo.application.port.out.TaskStore;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The counts per status that a prompt shows, asked on every keystroke and notification. */
class TaskCountsTest extends EngineTestFixture {

    private static final int MANY = 10_000;

    @Test
    void manyStoredTasksAreCountedPerStatusThatIsNotFinalFromTheUnfinishedTasksAlone() {
        Map<TaskStatus, Integer> expected = new EnumMap<>(TaskStatus.class);
        for (TaskStatus status : TaskStatus.values()) {
            if (!status.isFinal()) {
                expected.put(status, 0);
            }
        }
        for (int i = 0; i < MANY; i++) {
            Task task = taskIn(TaskStatus.values()[i % TaskStatus.values().length],
                    String.format(Locale.ROOT, "t%07d", i), EARLIER.plusSeconds(i));
            store.save(task);
            if (!task.isFinal()) {
                expected.merge(task.status(), 1, Integer::sum);
            }
        }
        ReadCountingStore counted = new ReadCountingStore(store);
        TaskEngine engine = new TaskEngine(counted, ids, clock, processes, agents,
                new EngineSettings(2, workingDirectory, NO_FLOORS, EscalationPolicy.DEFAULT));
        engines.add(engine);

        Map<TaskStatus, Integer> counts = engine.unfinishedCounts();

        assertThat(counts).isEqualTo(expected);
        // what a large store keeps in memory for its start: no task is looked up, none final listed
        assertThat(counted.finds.get()).isZero();
        assertThat(counted.lists.get()).isZero();
        assertThat(counted.unfinished.get()).isEqualTo(1);
    }

    @Test
    void everyStatusThatIsNotFinalIsAKeyEvenWithNoTask() {
        Map<TaskStatus, Integer> counts = startedEngine(1).unfinishedCounts();

        assertThat(counts).containsOnlyKeys(TaskStatus.DISPATCHED, TaskStatus.RUNNING, TaskStatus.PAUSED,
                TaskStatus.RESUMED).allSatisfy((status, count) -> assertThat(count).as("%s", status).isZero());
    }

    @Test
    void theCountsFollowEveryChange() throws Exception {
        TaskEngine engine = startedEngine(1);

        TaskId first = dispatchProcess(engine, "make first");
        awaitStatus(first, TaskStatus.RUNNING);
        TaskId second = dispatchProcess(engine, "make second");
        assertThat(engine.unfinishedCounts()).containsEntry(TaskStatus.RUNNING, 1)
                .containsEntry(TaskStatus.DISPATCHED, 1);
        assertThat(engine.runningProcessTasks()).extracting(Task::id).containsExactly(first);

        awaitProcess(first).finish(0, "built", "");
        awaitFinal(engine, first);
        awaitStatus(second, TaskStatus.RUNNING);
        assertThat(engine.unfinishedCounts()).containsEntry(TaskStatus.RUNNING, 1)
                .containsEntry(TaskStatus.DISPATCHED, 0);
        assertThat(engine.runningProcessTasks()).extracting(Task::id).containsExactly(second);

        engine.cancel(second);
        awaitFinal(engine, second);
        assertThat(engine.unfinishedCounts()).allSatisfy((status, count) ->
                assertThat(count).as("%s once both ended", status).isZero());
        assertThat(engine.runningProcessTasks()).isEmpty();

        // a cancelled task is removed only once its process has stopped
        assertThat(engine.awaitCancelledStopped(LIMIT)).isTrue();
        engine.clean(new CleanTasks(Optional.empty(), Optional.empty()));
        assertThat(engine.unfinishedCounts()).allSatisfy((status, count) ->
                assertThat(count).as("%s after cleaning", status).isZero());
    }

    /** A task in {@code status}, built through real transitions. */
    private Task taskIn(TaskStatus status, String id, Instant at) {
        return switch (status) {
            case DISPATCHED -> dispatchedAt(id, processSpec("make " + id), at);
            case RUNNING -> runningAt(id, processSpec("make " + id), at);
            case PAUSED -> pausedAt(id, agentSpec("plan " + id), at, "Which one?");
            case RESUMED -> resumedAt(id, agentSpec("plan " + id), at, "main");
            case COMPLETED -> applied(runningAt(id, processSpec("make " + id), at).complete("ok", at.plusSeconds(5)));
            case FAILED -> applied(runningAt(id, processSpec("make " + id), at).fail("broken", at.plusSeconds(5)));
            case CANCELLED -> applied(dispatchedAt(id, processSpec("make " + id), at).cancel(at.plusSeconds(5)));
        };
    }

    /** A store that counts how often tasks are read from it. */
    private static final class ReadCountingStore implements TaskStore {

        private final TaskStore store;
        final AtomicInteger finds = new AtomicInteger();
        final AtomicInteger lists = new AtomicInteger();
        final AtomicInteger unfinished = new AtomicInteger();

        ReadCountingStore(TaskStore store) {
            this.store = store;
        }

        @Override
        public void save(Task task) {
            store.save(task);
        }

        @Override
        public Optional<Task> find(TaskId id) {
            finds.incrementAndGet();
            return store.find(id);
        }

        @Override
        public List<Task> list() {
            lists.incrementAndGet();
            return store.list();
        }

        @Override
        public List<Task> unfinished() {
            this.unfinished.incrementAndGet();
            return store.unfinished();
        }

        @Override
        public void delete(TaskId id) {
            store.delete(id);
        }

        @Override
        public List<String> loadProblems() {
            return store.loadProblems();
        }
    }
}
