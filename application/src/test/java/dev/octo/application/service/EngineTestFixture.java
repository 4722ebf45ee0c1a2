package dev.octo.application.service;

import dev.octo.application.port.in.TaskNotice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.Eventually;
import dev.octo.application.fakes.FakeProcess;
import dev.octo.application.fakes.FakeProcessRunner;
import dev.octo.application.fakes.InMemoryTaskStore;
import dev.octo.application.fakes.MutableClock;
import dev.octo.application.fakes.RecordingNotifier;
import dev.octo.application.fakes.ScriptedAgentRunner;
import dev.octo.application.fakes.SequentialTaskIds;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.domain.AgentSpec;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.ProcessRef;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEvent;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskSpec;
import dev.octo.domain.TaskStatus;
import dev.octo.domain.TimeoutPolicy;
import dev.octo.domain.Transition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of the task engine share: the fakes it runs on, engines that are closed after
 * each test, and tasks as an earlier instance left them.
 */
abstract class EngineTestFixture {

    static final Duration LIMIT = Eventually.DEFAULT_LIMIT;
    /** No floors, so that a test can give a claude or test command a short limit. */
    static final TimeoutPolicy NO_FLOORS = new TimeoutPolicy(Duration.ZERO, Duration.ZERO);

    @TempDir
    Path workingDirectory;

    final InMemoryTaskStore store = new InMemoryTaskStore();
    final RecordingNotifier notifier = new RecordingNotifier();
    final FakeProcessRunner processes = new FakeProcessRunner();
    final ScriptedAgentRunner agents = new ScriptedAgentRunner();
    final MutableClock clock = new MutableClock();
    final SequentialTaskIds ids = new SequentialTaskIds();
    final List<TaskEngine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(TaskEngine::close);
    }

    /** An engine with the recording notifier, not started yet. */
    TaskEngine newEngine(int maxConcurrent) {
        TaskEngine engine = new TaskEngine(store, ids, clock, processes, agents,
                new EngineSettings(maxConcurrent, workingDirectory, NO_FLOORS, EscalationPolicy.DEFAULT));
        engine.register(notifier);
        engines.add(engine);
        return engine;
    }

    TaskEngine startedEngine(int maxConcurrent) {
        TaskEngine engine = newEngine(maxConcurrent);
        engine.start();
        return engine;
    }

    // ---- helpers --------------------------------------------------------------------------------

    static Task done(TaskOutcome outcome) {
        assertThat(outcome).isInstanceOf(TaskOutcome.Done.class);
        return ((TaskOutcome.Done) outcome).task();
    }

    static String rejection(TaskOutcome outcome) {
        assertThat(outcome).isInstanceOf(TaskOutcome.Rejected.class);
        return outcome.message();
    }

    static TaskId dispatchProcess(TaskEngine engine, String command) {
        return done(engine.dispatch(DispatchTask.Process.of(command))).id();
    }

    static TaskId dispatchAgent(TaskEngine engine, String prompt) {
        return done(engine.dispatch(DispatchTask.Agent.of(prompt))).id();
    }

    Task stored(TaskId id) {
        return store.find(id).orElseThrow(() -> new AssertionError("no task " + id + " in the store"));
    }

    static Task awaitFinal(TaskEngine engine, TaskId id) throws InterruptedException {
        Task task = engine.awaitFinal(id, LIMIT).orElseThrow();
        assertThat(task.isFinal()).as("task %s is final, not %s", id, task.status()).isTrue();
        return task;
    }

    void awaitStatus(TaskId id, TaskStatus status) {
        Eventually.await(() -> "task " + id + " is " + status + ", it is "
                + store.find(id).map(Task::status).orElse(null), LIMIT,
                () -> store.find(id).map(Task::status).orElse(null) == status);
    }

    FakeProcess awaitProcess(TaskId id) throws InterruptedException, TimeoutException {
        return processes.awaitProcess(id, LIMIT);
    }

    TaskNotice awaitEvent(TaskNotice.Type type, TaskId id) {
        Eventually.await(() -> "a " + type + " notice of task " + id + " in " + notifier.events(),
                LIMIT, () -> !eventsOf(type, id).isEmpty());
        return eventsOf(type, id).get(0);
    }

    List<TaskNotice> eventsOf(TaskNotice.Type type, TaskId id) {
        return notifier.events(type).stream().filter(notice -> notice.taskId().equals(id.value())).toList();
    }

    List<TaskNotice.Type> eventTypesOf(TaskId id) {
        return notifier.events().stream().filter(notice -> notice.taskId().equals(id.value()))
                .map(TaskNotice::type).toList();
    }

    static Task applied(Transition transition) {
        assertThat(transition).isInstanceOf(Transition.Applied.class);
        return ((Transition.Applied) transition).task();
    }

    // ---- tasks as an earlier instance left them, built through real transitions ----------------

    static final Instant EARLIER = MutableClock.DEFAULT_START.minus(Duration.ofHours(1));

    ProcessSpec processSpec(String command) {
        return ProcessSpec.of(command, workingDirectory);
    }

    AgentSpec agentSpec(String prompt) {
        return AgentSpec.of(prompt, workingDirectory);
    }

    static Task dispatchedAt(String id, TaskSpec spec, Instant at) {
        return Task.dispatch(TaskId.of(id), spec, at);
    }

    static Task runningAt(String id, TaskSpec spec, Instant at) {
        return applied(dispatchedAt(id, spec, at).start(at.plusSeconds(1)));
    }

    static Task runningProcessWithRef(String id, ProcessSpec spec, Instant at) {
        return runningAt(id, spec, at).withProcess(new ProcessRef(4242, at), at.plusSeconds(2));
    }

    static Task pausedAt(String id, AgentSpec spec, Instant at, String question) {
        return applied(runningAt(id, spec, at).pause(question, at.plusSeconds(2), EscalationPolicy.DEFAULT));
    }

    static Task resumedAt(String id, AgentSpec spec, Instant at, String answer) {
        return applied(pausedAt(id, spec, at, "Which one?").resume(answer, at.plusSeconds(3), EscalationPolicy.DEFAULT));
    }
}
