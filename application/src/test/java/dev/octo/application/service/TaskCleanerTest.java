package dev.octo.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.Eventually;
import dev.octo.application.fakes.FailingTaskStore;
import dev.octo.application.fakes.FakeProcessRunner;
import dev.octo.application.fakes.InMemoryConversationStore;
import dev.octo.application.fakes.InMemoryTaskStore;
import dev.octo.application.fakes.MutableClock;
import dev.octo.application.fakes.ScriptedAgentRunner;
import dev.octo.application.fakes.SequentialTaskIds;
import dev.octo.application.port.in.CleanOutcome;
import dev.octo.application.port.in.CleanTasks;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.out.AgentRunner;
import dev.octo.domain.AgentSpec;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskSpec;
import dev.octo.domain.TaskStatus;
import dev.octo.domain.TimeoutPolicy;
import dev.octo.domain.Transition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link TaskEngine#clean}: finished tasks go with their files; nothing else is touched. */
class TaskCleanerTest {

    private static final Duration LIMIT = Eventually.DEFAULT_LIMIT;
    private static final Instant EARLIER = MutableClock.DEFAULT_START.minus(Duration.ofDays(10));

    @TempDir
    Path workingDirectory;

    private final FailingTaskStore store = new FailingTaskStore(new InMemoryTaskStore());
    private final InMemoryConversationStore conversations = new InMemoryConversationStore();
    private final FakeProcessRunner processes = new FakeProcessRunner();
    private final ScriptedAgentRunner agents = new ScriptedAgentRunner();
    private final MutableClock clock = new MutableClock();
    private TaskEngine engine;

    @BeforeEach
    void oneWorker() {
        engine = new TaskEngine(store, conversations, new SequentialTaskIds(), clock, processes, agents,
                new EngineSettings(1, workingDirectory, new TimeoutPolicy(Duration.ZERO, Duration.ZERO),
                        EscalationPolicy.DEFAULT));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void everyFinishedTaskGoesWithItsFilesAndTheWaitingRunningAndPausedOnesStay() throws Exception {
        Task completed = finished("done0001", process("echo hi"), 0, EARLIER);
        Task failed = finished("fail0001", process("false"), 1, EARLIER);
        Task cancelled = cancelled("cncl0001", process("sleep 9"), EARLIER);
        Task agentDone = finished("agnt0001", agent("write notes"), 0, EARLIER);
        Task paused = applied(applied(Task.dispatch(TaskId.of("paus0001"), agent("ask"), EARLIER)
                .start(EARLIER.plusSeconds(1))).pause("Which one?", EARLIER.plusSeconds(2), EscalationPolicy.DEFAULT));
        List.of(completed, failed, cancelled, agentDone, paused).forEach(store::save);
        conversations.save(agentDone.id(), "[agent turns]");
        conversations.save(paused.id(), "[paused turns]");
        engine.start();
        TaskId running = dispatch("sleep 100");
        processes.awaitProcess(running, LIMIT);
        TaskId waiting = dispatch("sleep 200");

        CleanOutcome.Cleaned cleaned = cleaned(engine.clean(CleanTasks.allFinished()));

        assertThat(cleaned.removed()).containsExactlyInAnyOrder(completed.id(), failed.id(), cancelled.id(),
                agentDone.id());
        assertThat(cleaned.problems()).isEmpty();
        assertThat(store.list()).extracting(Task::id).containsExactlyInAnyOrder(paused.id(), running, waiting);
        assertThat(store.find(waiting).orElseThrow().status()).isEqualTo(TaskStatus.DISPATCHED);
        assertThat(processes.deletedFiles()).containsExactlyInAnyOrder(completed.id(), failed.id(), cancelled.id());
        assertThat(conversations.load(agentDone.id())).isEmpty();
        assertThat(conversations.load(paused.id())).contains("[paused turns]");
        assertThat(processes.isRunning(running)).isTrue();
    }

    @Test
    void aStatusSelectsWhichFinishedTasksGo() {
        Task completed = finished("done0001", process("echo hi"), 0, EARLIER);
        Task failed = finished("fail0001", process("false"), 1, EARLIER);
        Task cancelled = cancelled("cncl0001", process("sleep 9"), EARLIER);
        List.of(completed, failed, cancelled).forEach(store::save);
        engine.start();

        CleanOutcome.Cleaned cleaned = cleaned(engine.clean(
                new CleanTasks(Optional.of(TaskStatus.FAILED), Optional.empty())));

        assertThat(cleaned.removed()).containsExactly(failed.id());
        assertThat(store.list()).containsExactlyInAnyOrder(completed, cancelled);
    }

    @ParameterizedTest
    @EnumSource(value = TaskStatus.class, names = {"DISPATCHED", "RUNNING", "PAUSED", "RESUMED"})
    void aStatusThatIsNotFinalIsRefusedAndNothingGoes(TaskStatus status) {
        Task completed = finished("done0001", process("echo hi"), 0, EARLIER);
        store.save(completed);
        engine.start();

        CleanOutcome outcome = engine.clean(new CleanTasks(Optional.of(status), Optional.empty()));

        assertThat(outcome).isInstanceOfSatisfying(CleanOutcome.Rejected.class, rejected -> assertThat(
                rejected.message()).contains(status.label()).contains("only finished tasks"));
        assertThat(store.list()).containsExactly(completed);
        assertThat(processes.deletedFiles()).isEmpty();
    }

    @Test
    void olderThanKeepsTheTasksThatFinishedMoreRecently() {
        Instant now = clock.instant();
        Task old = finished("old00001", process("echo old"), 0, now.minus(Duration.ofDays(3)));
        Task justOldEnough = finished("edge0001", process("echo edge"), 0,
                now.minus(Duration.ofDays(2)).minusSeconds(1));
        Task recent = finished("new00001", process("echo new"), 0, now.minus(Duration.ofDays(2)).plusSeconds(1));
        List.of(old, justOldEnough, recent).forEach(store::save);
        engine.start();

        CleanOutcome.Cleaned cleaned = cleaned(engine.clean(
                new CleanTasks(Optional.empty(), Optional.of(Duration.ofDays(2)))));

        assertThat(old.finishedAt().orElseThrow()).isBefore(now.minus(Duration.ofDays(2)));
        assertThat(cleaned.removed()).containsExactlyInAnyOrder(old.id(), justOldEnough.id());
        assertThat(store.list()).containsExactly(recent);
    }

    @Test
    void aTaskWhoseFileCannotBeRemovedStaysWithItsFilesAndIsReported() {
        Task completed = finished("done0001", process("echo hi"), 0, EARLIER);
        store.save(completed);
        engine.start();
        store.failDeletes(true);

        CleanOutcome.Cleaned cleaned = cleaned(engine.clean(CleanTasks.allFinished()));

        assertThat(cleaned.removed()).isEmpty();
        assertThat(cleaned.problems()).singleElement().asString().contains("done0001").contains("Permission denied");
        assertThat(store.list()).containsExactly(completed);
        assertThat(processes.deletedFiles()).isEmpty();
    }

    @Test
    void aCancelledTaskWhoseWorkHasNotEndedIsLeftUntilItHas() throws Exception {
        CountDownLatch turnEnds = new CountDownLatch(1);
        agents.enqueue(task -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException cancelled) {
                turnEnds.await(); // the turn in progress goes on until it is over
            }
            return new AgentRunner.Outcome.Stopped();
        });
        engine.start();
        TaskId id = ((TaskOutcome.Done) engine.dispatch(DispatchTask.Agent.of("long turn"))).task().id();
        Eventually.await("the agent runs", () -> agents.isRunning(id));
        assertThat(engine.cancel(id)).isInstanceOf(TaskOutcome.Done.class);

        CleanOutcome.Cleaned early = cleaned(engine.clean(CleanTasks.allFinished()));

        assertThat(early.removed()).isEmpty();
        assertThat(early.stillStopping()).containsExactly(id);
        assertThat(store.find(id)).isPresent();

        turnEnds.countDown();
        assertThat(engine.awaitCancelledStopped(LIMIT)).isTrue();
        assertThat(cleaned(engine.clean(CleanTasks.allFinished())).removed()).containsExactly(id);
        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void withNothingFinishedNothingGoes() {
        engine.start();

        CleanOutcome.Cleaned cleaned = cleaned(engine.clean(CleanTasks.allFinished()));

        assertThat(cleaned.removed()).isEmpty();
        assertThat(cleaned.stillStopping()).isEmpty();
        assertThat(cleaned.problems()).isEmpty();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private TaskId dispatch(String command) {
        return ((TaskOutcome.Done) engine.dispatch(DispatchTask.Process.of(command))).task().id();
    }

    private static CleanOutcome.Cleaned cleaned(CleanOutcome outcome) {
        assertThat(outcome).isInstanceOf(CleanOutcome.Cleaned.class);
        return (CleanOutcome.Cleaned) outcome;
    }

    private ProcessSpec process(String command) {
        return ProcessSpec.of(command, workingDirectory);
    }

    private AgentSpec agent(String prompt) {
        return AgentSpec.of(prompt, workingDirectory);
    }

    /** A task that ran and ended {@code finishedAt}: completed for exit code 0, failed otherwise. */
    private static Task finished(String id, TaskSpec spec, int exitCode, Instant finishedAt) {
        Instant dispatchedAt = finishedAt.minusSeconds(60);
        Task running = applied(Task.dispatch(TaskId.of(id), spec, dispatchedAt).start(dispatchedAt.plusSeconds(1)));
        return applied(exitCode == 0 ? running.complete("ok", finishedAt) : running.fail("Exit code " + exitCode,
                finishedAt));
    }

    private static Task cancelled(String id, TaskSpec spec, Instant at) {
        return applied(Task.dispatch(TaskId.of(id), spec, at.minusSeconds(60)).cancel(at));
    }

    private static Task applied(Transition transition) {
        assertThat(transition).isInstanceOf(Transition.Applied.class);
        return ((Transition.Applied) transition).task();
    }
}
