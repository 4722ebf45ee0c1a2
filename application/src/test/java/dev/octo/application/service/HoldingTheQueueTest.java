package dev.octo.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.Eventually;
import dev.octo.application.fakes.FakeProcessRunner;
import dev.octo.application.fakes.InMemoryTaskStore;
import dev.octo.application.fakes.ScriptedAgentRunner;
import dev.octo.application.fakes.SequentialTaskIds;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.out.TaskStore;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** While Octo leaves, a held queue starts nothing, even when a worker is freed. */
class HoldingTheQueueTest {

    @TempDir
    Path workingDirectory;

    private final InMemoryTaskStore store = new InMemoryTaskStore();
    private final FakeProcessRunner processes = new FakeProcessRunner();
    private TaskEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private TaskEngine started(TaskStore taskStore, int maxConcurrent) {
        engine = new TaskEngine(taskStore, new SequentialTaskIds(), Clock.systemUTC(), processes,
                new ScriptedAgentRunner(), EngineSettings.defaults(workingDirectory).withMaxConcurrent(maxConcurrent));
        engine.start();
        return engine;
    }

    private TaskId dispatch(String command) {
        return ((TaskOutcome.Done) engine.dispatch(DispatchTask.Process.of(command))).task().id();
    }

    private TaskStatus status(TaskId id) {
        return store.find(id).orElseThrow().status();
    }

    @Test
    void aWorkerFreedWhileTheQueueIsHeldStartsNoWaitingTask() {
        started(store, 1);
        TaskId running = dispatch("sleep 300");
        TaskId waiting = dispatch("sleep 303");

        engine.holdQueue();
        engine.cancel(running);

        Eventually.await("the cancelled task to give back its worker", () -> engine.runningCount() == 0);
        assertThat(status(running)).isEqualTo(TaskStatus.CANCELLED);
        assertThat(status(waiting)).isEqualTo(TaskStatus.DISPATCHED);
        assertThat(processes.startedIds()).containsExactly(running);
    }

    @Test
    void aTaskDispatchedWhileTheQueueIsHeldWaits() {
        started(store, 3);
        engine.holdQueue();

        TaskId waiting = dispatch("make");

        assertThat(status(waiting)).isEqualTo(TaskStatus.DISPATCHED);
        assertThat(processes.startedIds()).isEmpty();
    }

    @Test
    void releasingTheQueueStartsWhatWaits() throws Exception {
        started(store, 1);
        TaskId first = dispatch("sleep 300");
        TaskId second = dispatch("sleep 303");
        engine.holdQueue();
        engine.cancel(first);

        engine.releaseQueue();

        processes.awaitProcess(second, Eventually.DEFAULT_LIMIT);
        assertThat(status(second)).isEqualTo(TaskStatus.RUNNING);
    }

    @Test
    void holdingReturnsOnlyOnceATaskOnItsWayToRunningGotThere() throws Exception {
        CountDownLatch saving = new CountDownLatch(1);
        CountDownLatch mayFinishSaving = new CountDownLatch(1);
        // the save that moves a task to RUNNING is slow: the queue is held right while it happens
        TaskStore slowToStart = new TaskStore() {
            @Override
            public void save(Task task) {
                if (task.status() == TaskStatus.RUNNING) {
                    saving.countDown();
                    try {
                        mayFinishSaving.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                store.save(task);
            }

            @Override
            public Optional<Task> find(TaskId id) {
                return store.find(id);
            }

            @Override
            public List<Task> list() {
                return store.list();
            }

            @Override
            public List<String> loadProblems() {
                return store.loadProblems();
            }

            @Override
            public void delete(TaskId id) {
                store.delete(id);
            }
        };
        started(slowToStart, 1);
        CompletableFuture<TaskOutcome> dispatched = CompletableFuture.supplyAsync(
                () -> engine.dispatch(DispatchTask.Process.of("sleep 300")));
        assertThat(saving.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<List<Task>> runningWhenHeld = new CompletableFuture<>();
        Thread holder = Thread.ofPlatform().start(() -> {
            engine.holdQueue();
            runningWhenHeld.complete(engine.runningProcessTasks());
        });
        Eventually.await("the hold to return or to wait for the start", () -> !holder.isAlive()
                || holder.getState() == Thread.State.WAITING);
        mayFinishSaving.countDown();

        TaskId id = ((TaskOutcome.Done) dispatched.get(10, TimeUnit.SECONDS)).task().id();
        assertThat(runningWhenHeld.get(10, TimeUnit.SECONDS)).extracting(Task::id).containsExactly(id);
    }
}
