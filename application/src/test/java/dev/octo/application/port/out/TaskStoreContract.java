package dev.octo.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.domain.AgentSpec;
import dev.octo.domain.AgentUsage;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.ProcessRef;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import dev.octo.domain.Timeout;
import dev.octo.domain.Transition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskStore} does; a subclass names the store. The tasks are built through the
 * real transitions at fixed instants.
 */
public abstract class TaskStoreContract {

    /** An instant with nanoseconds, so that a store that drops them is caught. */
    public static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456789Z");

    private TaskStore store;

    /** A new, empty store. */
    protected abstract TaskStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @Test
    void aSavedTaskIsFound() {
        Task task = Task.dispatch(TaskId.of("aaaa0001"), ProcessSpec.of("echo hi", Path.of("/srv")), T0);

        store.save(task);

        assertThat(store.find(task.id())).contains(task);
    }

    @Test
    void savingATaskAgainReplacesItsEarlierState() {
        Task dispatched = Task.dispatch(TaskId.of("aaaa0002"), ProcessSpec.of("sleep 1", Path.of("/srv")), T0);
        Task running = applied(dispatched.start(T0.plusSeconds(1)));
        store.save(dispatched);

        store.save(running);

        assertThat(store.find(dispatched.id())).contains(running);
        assertThat(store.list()).containsExactly(running);
    }

    @Test
    void listHoldsEveryStoredTaskOnce() {
        Task first = Task.dispatch(TaskId.of("aaaa0003"), ProcessSpec.of("true", Path.of("/srv")), T0);
        Task second = Task.dispatch(TaskId.of("aaaa0004"), AgentSpec.of("Summarize the logs", Path.of("/srv")), T0);
        Task third = Task.dispatch(TaskId.of("aaaa0005"), ProcessSpec.of("false", Path.of("/srv")), T0);

        store.save(first);
        store.save(second);
        store.save(third);
        store.save(second);

        assertThat(store.list()).containsExactlyInAnyOrder(first, second, third);
    }

    @Test
    void containsSaysWhetherATaskIsStored() {
        Task task = Task.dispatch(TaskId.of("aaaa0006"), ProcessSpec.of("true", Path.of("/srv")), T0);
        store.save(task);

        assertThat(store.contains(task.id())).isTrue();
        assertThat(store.contains(TaskId.of("zzzz9999"))).isFalse();
    }

    @Test
    void findingAnUnknownIdIsEmpty() {
        assertThat(store.find(TaskId.of("zzzz9999"))).isEmpty();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void aDeletedTaskIsNeitherFoundNorListedAndTheOthersStay() {
        Task gone = applied(applied(Task.dispatch(TaskId.of("aaaa0007"), ProcessSpec.of("true", Path.of("/srv")), T0)
                .start(T0.plusSeconds(1))).complete("done", T0.plusSeconds(2)));
        Task kept = Task.dispatch(TaskId.of("aaaa0008"), ProcessSpec.of("true", Path.of("/srv")), T0);
        store.save(gone);
        store.save(kept);

        store.delete(gone.id());

        assertThat(store.find(gone.id())).isEmpty();
        assertThat(store.contains(gone.id())).isFalse();
        assertThat(store.list()).containsExactly(kept);
    }

    @Test
    void deletingATaskThatIsNotStoredDoesNothing() {
        Task kept = Task.dispatch(TaskId.of("aaaa0009"), ProcessSpec.of("true", Path.of("/srv")), T0);
        store.save(kept);

        store.delete(TaskId.of("zzzz9999"));
        store.delete(TaskId.of("zzzz9999"));

        assertThat(store.list()).containsExactly(kept);
    }

    @Test
    void aDeletedIdCanBeSavedAgain() {
        Task first = Task.dispatch(TaskId.of("aaaa0010"), ProcessSpec.of("echo 1", Path.of("/srv")), T0);
        Task second = Task.dispatch(TaskId.of("aaaa0010"), ProcessSpec.of("echo 2", Path.of("/srv")), T0.plusSeconds(9));
        store.save(first);
        store.delete(first.id());

        store.save(second);

        assertThat(store.find(second.id())).contains(second);
        assertThat(store.list()).containsExactly(second);
    }

    @Test
    void aNewStoreHasNoLoadProblems() {
        assertThat(store.loadProblems()).isEmpty();
    }

    @Test
    void aTaskInEveryStatusWithEveryOptionalFieldRoundTrips() {
        List<Task> tasks = tasksInEveryStatus();
        assertThat(tasks.stream().map(Task::status).collect(Collectors.toSet()))
                .as("the samples cover every status")
                .containsExactlyInAnyOrderElementsOf(EnumSet.allOf(TaskStatus.class));

        tasks.forEach(store::save);

        for (Task task : tasks) {
            assertThat(store.find(task.id())).as("task %s (%s)", task.id(), task.status()).contains(task);
        }
        assertThat(store.list()).containsExactlyInAnyOrderElementsOf(tasks);
    }

    @Test
    void concurrentSavesOfManyIdsFromSeveralThreadsAreAllKept() throws Exception {
        int threads = 4;
        int idsPerThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Task>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<Task> finals = new ArrayList<>();
                    for (int i = 0; i < idsPerThread; i++) {
                        TaskId id = TaskId.of(String.format("c%dx%05d", thread, i));
                        Task dispatched = Task.dispatch(id, ProcessSpec.of("echo " + i, Path.of("/srv")), T0);
                        Task running = applied(dispatched.start(T0.plusSeconds(1)));
                        Task done = applied(running.complete("output " + i, T0.plusSeconds(2)));
                        store.save(dispatched);
                        store.save(running);
                        store.save(done);
                        finals.add(done);
                    }
                    return finals;
                }));
            }
            List<Task> expected = new ArrayList<>();
            for (Future<List<Task>> future : futures) {
                expected.addAll(future.get());
            }

            assertThat(store.list()).hasSize(threads * idsPerThread).containsExactlyInAnyOrderElementsOf(expected);
            for (Task task : expected) {
                assertThat(store.find(task.id())).contains(task);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentSavesOfOneIdLeaveOneOfTheSavedStates() throws Exception {
        TaskId id = TaskId.of("same0001");
        int threads = 4;
        int versionsPerThread = 10;
        List<Task> versions = new ArrayList<>();
        for (int i = 0; i < threads * versionsPerThread; i++) {
            versions.add(Task.dispatch(id, ProcessSpec.of("echo " + i, Path.of("/srv")), T0.plusSeconds(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<Task> mine = versions.subList(t * versionsPerThread, (t + 1) * versionsPerThread);
                futures.add(pool.submit(() -> mine.forEach(store::save)));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.find(id)).get().isIn(versions);
        assertThat(store.list()).hasSize(1);
    }

    /**
     * One task in every status, built through the real transitions, between them using every
     * optional field: process and agent specs with and without timeouts (one with a fraction of a
     * second), an environment, a parent and a later attempt, a process, a question, an answer,
     * escalations, a result and an error, an agent's token budget and usage.
     */
    public static List<Task> tasksInEveryStatus() {
        EscalationPolicy policy = EscalationPolicy.DEFAULT;
        ProcessSpec process = new ProcessSpec("cd /srv/app && make test | tee 'out put.txt'", Path.of("/srv/app"),
                Map.of("LANG", "C.UTF-8", "GREETING", "hello world"),
                Timeout.limited(Duration.ofSeconds(600), Duration.ofSeconds(3_600)));
        AgentSpec agent = new AgentSpec("Write the release notes for 2.0", "writer", Path.of("/srv/docs"), 12,
                Timeout.limited(Duration.ofMillis(1_500), Duration.ofSeconds(90)), Optional.of(200_000L));

        Task dispatched = Task.dispatch(TaskId.of("proc0001"), process, T0, Optional.of(TaskId.of("prnt0001")), 2);
        Task running = applied(Task.dispatch(TaskId.of("proc0002"), process, T0).start(T0.plusSeconds(1)))
                .withProcess(new ProcessRef(4242, T0.plusMillis(1_500)), T0.plusSeconds(2));
        Task completed = applied(applied(Task.dispatch(TaskId.of("proc0003"), process, T0).start(T0.plusSeconds(1)))
                .complete("all 12 tests passed\n", T0.plusSeconds(30)));
        Task failed = applied(applied(Task.dispatch(TaskId.of("proc0004"), ProcessSpec.of("false", Path.of("/")), T0)
                .start(T0.plusSeconds(1)))
                .withProcess(new ProcessRef(77, T0.plusSeconds(1)), T0.plusSeconds(1))
                .fail("exit code 1", T0.plusSeconds(3)));
        Task cancelled = applied(Task.dispatch(TaskId.of("proc0005"), process, T0).cancel(T0.plusSeconds(5)));

        Task agentRunning = applied(Task.dispatch(TaskId.of("agnt0001"), agent, T0, Optional.of(TaskId.of("proc0003")), 1)
                .start(T0.plusSeconds(1)))
                .withUsage(new AgentUsage(3, 1_200, 340, Duration.ofMillis(4_250)), T0.plusSeconds(5));
        Task paused = applied(agentRunning.pause("Which version: 2.0 or 2.1?", T0.plusSeconds(10), policy));
        Task resumed = applied(paused.resume("2.0, and mention the \"breaking\" change", T0.plusSeconds(20), policy));
        Task runningAgain = applied(resumed.start(T0.plusSeconds(21)));
        Task agentCompleted = applied(runningAgain.complete("Release notes written to NOTES.md", T0.plusSeconds(60)));
        Task pausedCancelled = applied(paused.cancel(T0.plusSeconds(15)));
        Task plainAgent = Task.dispatch(TaskId.of("agnt0002"), AgentSpec.of("Tidy the README", Path.of("/srv")), T0);

        return List.of(dispatched, running, completed, failed, cancelled,
                withId(paused, "agnt0003"), withId(resumed, "agnt0004"), withId(runningAgain, "agnt0005"),
                withId(agentCompleted, "agnt0006"), withId(pausedCancelled, "agnt0007"), plainAgent);
    }

    /** The task of an applied transition; a refusal fails the test. */
    public static Task applied(Transition transition) {
        return switch (transition) {
            case Transition.Applied applied -> applied.task();
            case Transition.Refused refused -> throw new AssertionError(refused.message());
        };
    }

    /** {@code task} under another id, so that the states of one task's life can be stored side by side. */
    private static Task withId(Task task, String id) {
        return new Task(TaskId.of(id), task.spec(), task.status(), task.createdAt(), task.startedAt(),
                task.finishedAt(), task.result(), task.error(), task.question(), task.answer(),
                task.escalations(), task.attempt(), task.parentId(), task.process(), task.usage(), task.updatedAt());
    }
}
