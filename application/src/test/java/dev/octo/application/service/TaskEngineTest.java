package dev.octo.application.service;

import dev.octo.application.port.in.CommandCatalogue.TaskSubcommand;
import dev.octo.application.port.in.TaskNotice;
import static dev.octo.application.fakes.ScriptedAgentRunner.Step.blockUntilInterrupted;
import static dev.octo.application.fakes.ScriptedAgentRunner.Step.complete;
import static dev.octo.application.fakes.ScriptedAgentRunner.Step.escalate;
import static dev.octo.application.fakes.ScriptedAgentRunner.Step.fail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.Eventually;
import dev.octo.application.fakes.FailingTaskStore;
import dev.octo.application.fakes.FakeProcess;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.in.TaskQueries.Resolution;
import dev.octo.application.port.out.AgentRunner;
import dev.octo.application.port.out.Notifier;
import dev.octo.domain.AgentSpec;
import dev.octo.domain.ClaudeCommandRule;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskKind;
import dev.octo.domain.TaskStatus;
import dev.octo.domain.Timeout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TaskEngineTest extends EngineTestFixture {

    @Nested
    class Dispatching {

        @Test
        void aNewTaskIsStoredAsDispatchedAndAnnouncedBeforeAnyWorkerTakesIt() {
            TaskEngine engine = newEngine(2); // not started: no worker takes anything

            Task task = done(engine.dispatch(DispatchTask.Process.of("echo hello")));

            assertThat(stored(task.id()).status()).isEqualTo(TaskStatus.DISPATCHED);
            assertThat(stored(task.id()).spec()).isEqualTo(
                    new ProcessSpec("echo hello", workingDirectory, Map.of(), Timeout.NONE));
            assertThat(awaitEvent(TaskNotice.Type.DISPATCHED, task.id()).summary()).isEqualTo("echo hello");
            assertThat(processes.starts()).isEmpty();
        }

        @Test
        void theRunnerGetsTheClaudeCommandWithTheExtraArgumentsWhileTheTaskKeepsItAsTyped() throws Exception {
            TaskEngine engine = new TaskEngine(store, ids, clock, processes, agents,
                    new EngineSettings(2, workingDirectory, NO_FLOORS, EscalationPolicy.DEFAULT,
                            new ClaudeCommandRule("--model opus")));
            engines.add(engine);
            engine.start();

            TaskId id = dispatchProcess(engine, "cd src && claude -p hi");
            awaitProcess(id);

            assertThat(processes.starts()).singleElement().satisfies(started ->
                    assertThat(started.spec().command()).isEqualTo("cd src && claude --model opus -p hi"));
            assertThat(((ProcessSpec) stored(id).spec()).command()).isEqualTo("cd src && claude -p hi");
        }

        @Test
        void aDispatchedTaskIsStartedAndAnnouncedOnceTheEngineRuns() throws Exception {
            TaskEngine engine = newEngine(2);
            TaskId id = dispatchProcess(engine, "echo hello");

            engine.start();

            FakeProcess process = awaitProcess(id);
            assertThat(awaitEvent(TaskNotice.Type.STARTED, id).actions()).contains(TaskSubcommand.CANCEL);
            assertThat(stored(id).status()).isEqualTo(TaskStatus.RUNNING);
            Eventually.await("the process is recorded on the task",
                    () -> stored(id).process().equals(Optional.of(process.ref())));
            assertThat(eventTypesOf(id)).containsExactly(TaskNotice.Type.DISPATCHED, TaskNotice.Type.STARTED);
        }

        @Test
        void aCommandThatExitsWithZeroCompletesWithItsStdoutAsTheResult() throws Exception {
            TaskEngine engine = startedEngine(2);
            TaskId id = dispatchProcess(engine, "echo hello");

            awaitProcess(id).finish(0, "hello\n", "");

            Task task = awaitFinal(engine, id);
            assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(task.result()).contains("hello\n");
            assertThat(task.process()).isEmpty();
            assertThat(awaitEvent(TaskNotice.Type.COMPLETED, id).result()).contains("hello\n");
        }

        @Test
        void aCommandThatExitsWithThreeFailsWithTheExitCodeAndItsStderr() throws Exception {
            TaskEngine engine = startedEngine(2);
            TaskId id = dispatchProcess(engine, "false");

            awaitProcess(id).finish(3, "some output", "no such file");

            Task task = awaitFinal(engine, id);
            assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(task.error()).hasValueSatisfying(error -> assertThat(error)
                    .startsWith("Exit code 3").contains("no such file"));
            assertThat(awaitEvent(TaskNotice.Type.FAILED, id).error()).hasValueSatisfying(error -> assertThat(error).startsWith("Exit code 3"));
        }

        @Test
        void aCommandThatCannotBeStartedFailsWithTheReason() throws Exception {
            processes.refuseToStart("cd /nowhere && make", "the working directory does not exist");
            TaskEngine engine = startedEngine(2);

            TaskId id = dispatchProcess(engine, "cd /nowhere && make");

            Task task = awaitFinal(engine, id);
            assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(task.error()).hasValueSatisfying(error -> assertThat(error)
                    .contains("Could not start").contains("the working directory does not exist"));
            assertThat(engine.awaitAllSettled(LIMIT)).isTrue();
            assertThat(engine.runningCount()).isZero();
        }

        @Test
        void aBlankCommandIsRejectedAndNothingIsStored() {
            TaskEngine engine = startedEngine(2);

            assertThat(rejection(engine.dispatch(DispatchTask.Process.of("   ")))).contains("command");
            assertThat(rejection(engine.dispatch(DispatchTask.Agent.of(" ")))).contains("prompt");
            assertThat(store.list()).isEmpty();
        }

        @Test
        void aTimeoutThatIsNotPositiveIsRejected() {
            TaskEngine engine = startedEngine(2);

            String message = rejection(engine.dispatch(
                    DispatchTask.Process.of("sleep 1", Optional.of(Duration.ZERO))));

            assertThat(message).contains("positive");
            assertThat(store.list()).isEmpty();
        }

        @Test
        void aTimeoutIsRecordedAsAskedAndAsApplied() {
            TaskEngine engine = newEngine(2);

            Task task = done(engine.dispatch(DispatchTask.Process.of("sleep 9", Optional.of(Duration.ofSeconds(5)))));

            assertThat(task.spec().timeout()).isEqualTo(Timeout.limited(Duration.ofSeconds(5), Duration.ofSeconds(5)));
        }

        @Test
        void nothingNewIsDispatchedOnceTheEngineIsClosed() {
            TaskEngine engine = startedEngine(2);
            engine.close();

            assertThat(rejection(engine.dispatch(DispatchTask.Process.of("echo late")))).contains("shutting down");
            assertThat(store.list()).isEmpty();
        }
    }

    @Nested
    class Cancelling {

        @Test
        void aDispatchedTaskIsCancelledAndNeverStarts() throws Exception {
            TaskEngine engine = startedEngine(1);
            TaskId busy = dispatchProcess(engine, "sleep 100");
            FakeProcess busyProcess = awaitProcess(busy);
            TaskId waiting = dispatchProcess(engine, "echo never");

            Task cancelled = done(engine.cancel(waiting));

            assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
            busyProcess.finish(0, "", "");
            assertThat(engine.awaitAllSettled(LIMIT)).isTrue();
            assertThat(processes.startedIds()).containsExactly(busy);
            assertThat(stored(waiting).status()).isEqualTo(TaskStatus.CANCELLED);
            Eventually.await("the Cancelled event", () -> !eventsOf(TaskNotice.Type.CANCELLED, waiting).isEmpty());
            assertThat(eventTypesOf(waiting)).containsExactly(TaskNotice.Type.DISPATCHED, TaskNotice.Type.CANCELLED);
        }

        @Test
        void aRunningProcessIsTerminatedAndEndsCancelledNotFailed() throws Exception {
            TaskEngine engine = startedEngine(2);
            TaskId id = dispatchProcess(engine, "sleep 100");
            FakeProcess process = awaitProcess(id);

            Task cancelled = done(engine.cancel(id));

            assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
            // a cancel that meets a process still starting stops it as soon as it has started
            Eventually.await("task " + id + "'s process terminated", process::wasTerminated);
            assertThat(engine.awaitAllSettled(LIMIT)).isTrue();
            Task task = stored(id);
            assertThat(task.status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(task.error()).isEmpty();
            awaitEvent(TaskNotice.Type.CANCELLED, id);
            assertThat(eventsOf(TaskNotice.Type.FAILED, id)).isEmpty();
        }

        @Test
        void aRunningAgentIsInterruptedAndEndsCancelled() throws Exception {
            TaskEngine engine = startedEngine(2);
            agents.enqueue(blockUntilInterrupted());
            TaskId id = dispatchAgent(engine, "think for ever");
            Eventually.await("the agent runs", () -> agents.isRunning(id));

            done(engine.cancel(id));

            assertThat(engine.awaitAllSettled(LIMIT)).isTrue();
            assertThat(agents.interruptions()).isEqualTo(1);
            assertThat(stored(id).status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(eventsOf(TaskNotice.Type.FAILED, id)).isEmpty();
        }

        @Test
        void aPausedTaskCanBeCancelled() throws Exception {
            TaskEngine engine = startedEngine(2);
            agents.enqueue(escalate("Really?"));
            TaskId id = dispatchAgent(engine, "ask first");
            awaitStatus(id, TaskStatus.PAUSED);

            assertThat(done(engine.cancel(id)).status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(rejection(engine.resume(id, "yes"))).contains(id.value()).contains("cancelled");
        }

        @Test
        void cancellingAFinishedTaskIsRefusedNamingTheTaskAndItsStatus() throws Exception {
            TaskEngine engine = startedEngine(2);
            TaskId id = dispatchProcess(engine, "true");
            awaitProcess(id).finish(0, "", "");
            awaitFinal(engine, id);

            String message = rejection(engine.cancel(id));

            assertThat(message).contains(id.value()).contains("completed").contains("cancel");
            assertThat(stored(id).status()).isEqualTo(TaskStatus.COMPLETED);
        }

        @Test
        void cancellingAnUnknownTaskIsRefused() {
            TaskEngine engine = startedEngine(2);

            assertThat(rejection(engine.cancel(TaskId.of("nosuch00")))).contains("nosuch00");
        }
    }

    @Nested
    class Timeouts {

        @Test
        void aProcessPastItsTimeoutIsTerminatedAndFails() throws Exception {
            TaskEngine engine = startedEngine(2);
            // a claude command would get a floor of 40 minutes by default; this policy has none
            TaskId id = done(engine.dispatch(
                    DispatchTask.Process.of("claude -p 'take long'", Optional.of(Duration.ofSeconds(1))))).id();
            FakeProcess process = awaitProcess(id);

            Task task = awaitFinal(engine, id);

            assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(task.error()).contains("Timed out after 1 s");
            assertThat(process.wasTerminated()).isTrue();
        }

        @Test
        void anAgentPastItsTimeoutIsInterruptedAndFails() throws Exception {
            TaskEngine engine = startedEngine(2);
            agents.enqueue(blockUntilInterrupted());
            TaskId id = done(engine.dispatch(new DispatchTask.Agent("think for ever", Optional.empty(),
                    Optional.of(Duration.ofSeconds(1)), Optional.empty()))).id();

            Task task = awaitFinal(engine, id);

            assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(task.error()).contains("Timed out after 1 s");
            assertThat(agents.interruptions()).isEqualTo(1);
        }
    }

    @Nested
    class RetryingAndFollowingUp {

        private Task finishedProcessTask(TaskEngine engine, String command, int exitCode, String stdout,
                String stderr) throws Exception {
            TaskId id = dispatchProcess(engine, command);
            awaitProcess(id).finish(exitCode, stdout, stderr);
            return awaitFinal(engine, id);
        }

        @Test
        void retryingAFinishedTaskMakesANewTaskThatPointsToIt() throws Exception {
            TaskEngine engine = startedEngine(2);
            Task failed = finishedProcessTask(engine, "make build", 2, "", "boom");

            Task retry = done(engine.retry(failed.id()));

            assertThat(retry.id()).isNotEqualTo(failed.id());
            assertThat(retry.parentId()).contains(failed.id());
            assertThat(retry.attempt()).isEqualTo(2);
            assertThat(retry.spec()).isEqualTo(failed.spec());
            awaitProcess(retry.id()).finish(2, "", "boom again");
            awaitFinal(engine, retry.id());
            assertThat(done(engine.retry(retry.id())).attempt()).isEqualTo(3);
        }

        @Test
        void retryingATaskThatHasNotFinishedIsRefused() throws Exception {
            TaskEngine engine = startedEngine(2);
            TaskId id = dispatchProcess(engine, "sleep 100");
            awaitProcess(id);

            assertThat(rejection(engine.retry(id))).contains(id.value()).contains("running");
            assertThat(rejection(engine.retry(TaskId.of("nosuch00")))).contains("nosuch00");
            assertThat(store.list()).hasSize(1);
        }

        @Test
        void aFollowUpIsAnAgentTaskThatStartsFromTheOldCommandAndResult() throws Exception {
            TaskEngine engine = startedEngine(2);
            agents.whenUnscripted(blockUntilInterrupted());
            Task old = finishedProcessTask(engine, "ls -la /srv", 0, "total 42\napp\n", "");

            Task followUp = done(engine.followUp(old.id(), "  delete the app folder  "));

            assertThat(followUp.kind()).isEqualTo(TaskKind.AGENT);
            assertThat(followUp.parentId()).contains(old.id());
            assertThat(followUp.attempt()).isEqualTo(1);
            assertThat(followUp.spec().summary())
                    .contains(old.id().value())
                    .contains("ls -la /srv")
                    .contains("total 42\napp")
                    .contains("delete the app folder");
            assertThat(agents.awaitRun(followUp.id(), 1, LIMIT).spec()).isEqualTo(followUp.spec());
        }

        @Test
        void aFollowUpOfAFailedAgentTaskCarriesItsObjectiveAndError() throws Exception {
            TaskEngine engine = startedEngine(2);
            agents.enqueue(fail("the tests did not compile"), blockUntilInterrupted());
            TaskId old = done(engine.dispatch(new DispatchTask.Agent("fix the tests", Optional.of("tester"),
                    Optional.empty(), Optional.empty()))).id();
            awaitFinal(engine, old);

            Task followUp = done(engine.followUp(old, "try again with Java 21"));

            assertThat(followUp.spec()).isInstanceOfSatisfying(AgentSpec.class, spec -> {
                assertThat(spec.agentName()).isEqualTo("tester");
                assertThat(spec.prompt()).contains("fix the tests").contains("the tests did not compile")
                        .contains("try again with Java 21");
            });
        }

        @Test
        void aFollowUpNeedsAnInstructionAndAFinishedTask() throws Exception {
            TaskEngine engine = startedEngine(2);
            Task old = finishedProcessTask(engine, "true", 0, "", "");
            TaskId running = dispatchProcess(engine, "sleep 100");
            awaitProcess(running);

            assertThat(rejection(engine.followUp(old.id(), "   "))).contains("instruction");
            assertThat(rejection(engine.followUp(old.id(), null))).contains("instruction");
            assertThat(rejection(engine.followUp(running, "go on"))).contains(running.value()).contains("running");
            assertThat(rejection(engine.followUp(TaskId.of("nosuch00"), "go on"))).contains("nosuch00");
            assertThat(store.list()).hasSize(2);
        }
    }

    @Nested
    class Escalating {

        @Test
        void anAgentThatEscalatesPausesWithItsQuestion() throws Exception {
            TaskEngine engine = startedEngine(2);
            agents.enqueue(escalate("Shall I push to main?"));
            TaskId id = dispatchAgent(engine, "ship it");

            TaskNotice paused = awaitEvent(TaskNotice.Type.PAUSED, id);

            assertThat(paused.question()).contains("Shall I push to main?");
            assertThat(paused.actions()).containsExactly(TaskSubcommand.CANCEL, TaskSubcommand.RESUME, TaskSubcommand.LOG);
            assertThat(stored(id).status()).isEqualTo(TaskStatus.PAUSED);
            assertThat(stored(id).question()).contains("Shall I push to main?");
            assertThat(engine.awaitAllSettled(LIMIT)).isTrue();
        }

        @Test
        void aBlankAnswerIsRefusedAndTheTaskStaysPaused() throws Exception {
            TaskEngine engine = startedEngine(2);
            agents.enqueue(escalate("Shall I push to main?"));
            TaskId id = dispatchAgent(engine, "ship it");
            awaitStatus(id, TaskStatus.PAUSED);

            assertThat(rejection(engine.resume(id, "  "))).contains(id.value()).contains("empty");
            assertThat(rejection(engine.resume(id, null))).contains("empty");

            assertThat(stored(id).status()).isEqualTo(TaskStatus.PAUSED);
            assertThat(agents.runsOf(id)).hasSize(1);
        }

        @Test
        void answeringATaskThatIsNotPausedIsRefusedWithItsStatus() throws Exception {
            TaskEngine engine = startedEngine(2);
            TaskId id = dispatchProcess(engine, "sleep 100");
            awaitProcess(id);

            assertThat(rejection(engine.resume(id, "yes"))).contains(id.value()).contains("running");
            assertThat(rejection(engine.resume(TaskId.of("nosuch00"), "yes"))).contains("nosuch00");
        }

        @Test
        void theEleventhEscalationFailsTheTask() throws Exception {
            TaskEngine engine = startedEngine(2);
            TaskId id = ids.next();
            ids.thenGive(id.value());
            for (int i = 1; i <= 11; i++) {
                agents.script(id, escalate("Question " + i + "?"));
            }
            dispatchAgent(engine, "ask a lot");

            for (int i = 1; i <= EscalationPolicy.DEFAULT_MAX_ESCALATIONS; i++) {
                int asked = i;
                Eventually.await(() -> "question " + asked + " is asked; the task is " + store.find(id), LIMIT,
                        () -> stored(id).status() == TaskStatus.PAUSED && stored(id).escalations() == asked);
                assertThat(stored(id).question()).contains("Question " + i + "?");
                done(engine.resume(id, "Answer " + i));
            }

            Task task = awaitFinal(engine, id);
            assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(task.error()).hasValueSatisfying(error -> assertThat(error).contains("Escalation limit"));
            assertThat(agents.runsOf(id)).hasSize(11);
            assertThat(agents.runsOf(id).get(10).answer()).contains("Answer 10");
        }
    }

    @Nested
    class Notifiers {

        @Test
        void aNotifierThatThrowsStopsNeitherTheOthersNorTheTask() throws Exception {
            TaskEngine engine = new TaskEngine(store, ids, clock, processes, agents,
                    new EngineSettings(2, workingDirectory, NO_FLOORS, EscalationPolicy.DEFAULT));
            engines.add(engine);
            List<TaskNotice> seenByTheBrokenOne = new CopyOnWriteArrayList<>();
            Notifier broken = event -> {
                seenByTheBrokenOne.add(event);
                throw new IllegalStateException("the channel is down");
            };
            engine.register(broken);
            engine.register(notifier);
            engine.start();

            TaskId id = dispatchProcess(engine, "echo hi");
            awaitProcess(id).finish(0, "hi", "");

            assertThat(awaitFinal(engine, id).status()).isEqualTo(TaskStatus.COMPLETED);
            awaitEvent(TaskNotice.Type.COMPLETED, id);
            assertThat(eventTypesOf(id)).containsExactly(TaskNotice.Type.DISPATCHED, TaskNotice.Type.STARTED,
                    TaskNotice.Type.COMPLETED);
            assertThat(seenByTheBrokenOne).hasSize(3);
        }
    }

    @Nested
    class WhenTheStoreCannotWrite {

        private final FailingTaskStore failing =
                new FailingTaskStore(store);

        private TaskEngine engineOverTheFailingStore() {
            TaskEngine engine = new TaskEngine(failing, ids, clock, processes, agents,
                    new EngineSettings(2, workingDirectory, NO_FLOORS, EscalationPolicy.DEFAULT));
            engine.register(notifier);
            engines.add(engine);
            engine.start();
            return engine;
        }

        @Test
        void aDispatchIsRejectedWithTheReason() {
            TaskEngine engine = engineOverTheFailingStore();
            failing.failSaves(true);

            assertThat(rejection(engine.dispatch(DispatchTask.Process.of("echo hi")))).contains("No space left");
            assertThat(store.list()).isEmpty();
        }

        @Test
        void aCancelIsRejectedWithTheReasonAndTheProcessRunsOn() throws Exception {
            TaskEngine engine = engineOverTheFailingStore();
            TaskId id = dispatchProcess(engine, "sleep 100");
            FakeProcess process = awaitProcess(id);
            Eventually.await("the process is recorded", () -> stored(id).process().isPresent());
            failing.failSaves(true);

            assertThat(rejection(engine.cancel(id))).contains(id.value()).contains("No space left");

            assertThat(process.wasTerminated()).isFalse();
            assertThat(stored(id).status()).isEqualTo(TaskStatus.RUNNING);
            failing.failSaves(false);
            done(engine.cancel(id));
            assertThat(process.wasTerminated()).isTrue();
        }

        @Test
        void theEndOfATaskIsRecordedOnceTheStoreWritesAgainAndOnlyThenTold() throws Exception {
            TaskEngine engine = engineOverTheFailingStore();
            Map<TaskId, TaskStatus> storedWhenTold = new ConcurrentHashMap<>();
            engine.register(event -> {
                if (event.type() == TaskNotice.Type.COMPLETED) {
                    TaskId told = new TaskId(event.taskId());
                    storedWhenTold.put(told, stored(told).status());
                }
            });
            TaskId id = dispatchProcess(engine, "make");
            FakeProcess process = awaitProcess(id);
            Eventually.await("the process is recorded", () -> stored(id).process().isPresent());
            failing.failNextSaves(3);

            process.finish(0, "built", "");

            Task task = awaitFinal(engine, id);
            assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(task.result()).contains("built");
            assertThat(failing.failedSaves()).isEqualTo(3);
            awaitEvent(TaskNotice.Type.COMPLETED, id);
            assertThat(eventsOf(TaskNotice.Type.COMPLETED, id)).hasSize(1);
            assertThat(storedWhenTold).containsExactly(Map.entry(id, TaskStatus.COMPLETED));
            Eventually.await(() -> "two problem messages in " + notifier.problems(), LIMIT,
                    () -> notifier.problems().size() >= 2);
            assertThat(notifier.problems()).hasSize(2);
            assertThat(notifier.problems().get(0)).startsWith("Octo cannot write its state: ")
                    .contains("No space left on device");
            assertThat(notifier.problems().get(1)).isEqualTo("Octo can write its state again.");
            assertThat(engine.awaitAllSettled(LIMIT)).isTrue();
        }

        @Test
        void theEndOfAnAgentTaskIsRecordedAtTheTimeItEndedThoughTheStoreTookLonger() throws Exception {
            TaskEngine engine = engineOverTheFailingStore();
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            agents.whenUnscripted(task -> {
                running.countDown();
                finish.await();
                return new AgentRunner.Outcome.Completed("written");
            });
            TaskId id = dispatchAgent(engine, "write");
            assertThat(running.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            Instant ended = clock.instant();
            failing.failNextSaves(2);

            finish.countDown();
            Eventually.await("a save failed", () -> failing.failedSaves() >= 1);
            clock.advance(Duration.ofMinutes(5));

            Task task = awaitFinal(engine, id);
            assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(task.finishedAt()).contains(ended);
        }

        @Test
        void aStartThatCannotBeRecordedIsTriedAgainAndTheTaskRuns() throws Exception {
            TaskEngine engine = new TaskEngine(failing, ids, clock, processes, agents,
                    new EngineSettings(2, workingDirectory, NO_FLOORS, EscalationPolicy.DEFAULT));
            engine.register(notifier);
            engines.add(engine);
            TaskId id = dispatchProcess(engine, "make");
            failing.failNextSaves(2);

            engine.start();

            FakeProcess process = awaitProcess(id);
            awaitStatus(id, TaskStatus.RUNNING);
            assertThat(failing.failedSaves()).isEqualTo(2);
            process.finish(0, "built", "");
            assertThat(awaitFinal(engine, id).status()).isEqualTo(TaskStatus.COMPLETED);
            Eventually.await(() -> "two problem messages in " + notifier.problems(), LIMIT,
                    () -> notifier.problems().size() >= 2);
            assertThat(notifier.problems()).filteredOn(message -> message.startsWith("Octo cannot write"))
                    .hasSize(1);
            assertThat(processes.startedIds()).containsExactly(id);
        }

        @Test
        void anAnswerIsRejectedWithTheReasonAndTheTaskStaysPaused() {
            TaskEngine engine = engineOverTheFailingStore();
            agents.enqueue(escalate("Which one?"), complete("done"));
            TaskId id = dispatchAgent(engine, "choose");
            awaitStatus(id, TaskStatus.PAUSED);
            failing.failSaves(true);

            assertThat(rejection(engine.resume(id, "that one"))).contains(id.value()).contains("No space left");

            assertThat(stored(id).status()).isEqualTo(TaskStatus.PAUSED);
            assertThat(agents.runsOf(id)).hasSize(1);
        }
    }

    @Nested
    class Races {

        @Test
        void aCancelRacingTheExitEndsEitherWayButNeverBoth() throws Exception {
            TaskEngine engine = startedEngine(4);
            for (int i = 0; i < 100; i++) {
                TaskId id = dispatchProcess(engine, "race " + i);
                FakeProcess process = awaitProcess(id);
                CountDownLatch go = new CountDownLatch(1);
                CompletableFuture<TaskOutcome> cancel = CompletableFuture
                        .supplyAsync(() -> {
                            awaitLatch(go);
                            return engine.cancel(id);
                        });
                CompletableFuture<Boolean> exit = CompletableFuture
                        .supplyAsync(() -> {
                            awaitLatch(go);
                            return process.finish(0, "done", "");
                        });
                go.countDown();
                TaskOutcome outcome = cancel.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
                exit.get(LIMIT.toSeconds(), TimeUnit.SECONDS);

                Task task = awaitFinal(engine, id);
                if (outcome instanceof TaskOutcome.Done) {
                    assertThat(task.status()).as("task %s after a cancel that was done", id)
                            .isEqualTo(TaskStatus.CANCELLED);
                } else {
                    assertThat(task.status()).as("task %s after a refused cancel: %s", id, outcome.message())
                            .isEqualTo(TaskStatus.COMPLETED);
                }
            }
            assertThat(engine.awaitAllSettled(LIMIT)).isTrue();
            Eventually.await("an end event for every task", () -> notifier.events(TaskNotice.Type.CANCELLED).size()
                    + notifier.events(TaskNotice.Type.COMPLETED).size() == 100);
            assertThat(notifier.events(TaskNotice.Type.FAILED)).isEmpty();
            for (Task task : store.list()) {
                assertThat(eventsOf(TaskNotice.Type.CANCELLED, task.id()).size()
                        + eventsOf(TaskNotice.Type.COMPLETED, task.id()).size()).isEqualTo(1);
            }
        }

        private static void awaitLatch(CountDownLatch latch) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Nested
    class Closing {

        @Test
        void processTasksKeepRunningAndAreNotTerminated() throws Exception {
            TaskEngine engine = startedEngine(2);
            TaskId id = dispatchProcess(engine, "sleep 1000");
            FakeProcess process = awaitProcess(id);

            engine.close();

            assertThat(process.wasTerminated()).isFalse();
            assertThat(process.isRunning()).isTrue();
            assertThat(stored(id).status()).isEqualTo(TaskStatus.RUNNING);
        }

        @Test
        void agentRunsAreInterruptedAndStayRunningForTheNextStart() throws Exception {
            TaskEngine engine = startedEngine(2);
            agents.enqueue(blockUntilInterrupted());
            TaskId id = dispatchAgent(engine, "think for ever");
            Eventually.await("the agent runs", () -> agents.isRunning(id));

            engine.close();

            assertThat(agents.interruptions()).isEqualTo(1);
            assertThat(agents.isRunning(id)).isFalse();
            assertThat(stored(id).status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(stored(id).error()).isEmpty();
        }

        @Test
        void theStoreIsToldToWriteDownWhatSpeedsUpTheNextStartOnce() throws Exception {
            TaskEngine engine = startedEngine(2);
            dispatchProcess(engine, "make");
            assertThat(store.checkpoints()).isZero();

            engine.close();
            engine.close();

            assertThat(store.checkpoints()).isEqualTo(1);
        }
    }

    @Nested
    class AwaitingAllTasks {

        @Test
        void returnsTrueOnceEveryTaskIsDone() throws Exception {
            TaskEngine engine = startedEngine(2);
            TaskId id = dispatchProcess(engine, "echo done");
            awaitProcess(id).finish(0, "", "");

            assertThat(engine.awaitAllSettled(LIMIT)).isTrue();
            assertThat(stored(id).isFinal()).isTrue();
        }

        @Test
        void returnsFalseAtTheLimitWhileATaskStillRuns() throws Exception {
            TaskEngine engine = startedEngine(2);
            TaskId id = dispatchProcess(engine, "sleep 1000");
            awaitProcess(id);

            assertThat(engine.awaitAllSettled(Duration.ofMillis(100))).isFalse();
            assertThat(stored(id).status()).isEqualTo(TaskStatus.RUNNING);
        }

        @Test
        void aPausedTaskDoesNotHoldItUp() throws Exception {
            TaskEngine engine = startedEngine(2);
            agents.enqueue(escalate("Now what?"));
            TaskId id = dispatchAgent(engine, "ask");
            awaitStatus(id, TaskStatus.PAUSED);

            assertThat(engine.awaitAllSettled(LIMIT)).isTrue();
        }

        @Test
        void awaitFinalGivesTheTaskAsItIsAtTheLimit() throws Exception {
            TaskEngine engine = startedEngine(2);
            TaskId id = dispatchProcess(engine, "sleep 1000");
            awaitProcess(id);

            assertThat(engine.awaitFinal(id, Duration.ofMillis(50))).hasValueSatisfying(task ->
                    assertThat(task.status()).isEqualTo(TaskStatus.RUNNING));
            assertThat(engine.awaitFinal(TaskId.of("nosuch00"), Duration.ofMillis(50))).isEmpty();
        }
    }

    @Nested
    class ResolvingIds {

        private TaskEngine engine;

        @BeforeEach
        void threeTasks() {
            ids.thenGive("abc12345", "abc67890", "xyz00001");
            engine = newEngine(2);
            for (int i = 0; i < 3; i++) {
                dispatchProcess(engine, "echo " + i);
                clock.advance(Duration.ofSeconds(1));
            }
        }

        @Test
        void aWholeIdIsFound() {
            assertThat(engine.resolve("abc12345")).isInstanceOfSatisfying(Resolution.Found.class,
                    found -> assertThat(found.task().id()).isEqualTo(TaskId.of("abc12345")));
        }

        @Test
        void aUniquePrefixIsFound() {
            assertThat(engine.resolve("x")).isInstanceOfSatisfying(Resolution.Found.class,
                    found -> assertThat(found.task().id()).isEqualTo(TaskId.of("xyz00001")));
            assertThat(engine.resolve("abc6")).isInstanceOfSatisfying(Resolution.Found.class,
                    found -> assertThat(found.task().id()).isEqualTo(TaskId.of("abc67890")));
        }

        @Test
        void anAmbiguousPrefixListsTheCandidates() {
            assertThat(engine.resolve("abc")).isInstanceOfSatisfying(Resolution.Ambiguous.class, ambiguous -> {
                assertThat(ambiguous.prefix()).isEqualTo("abc");
                assertThat(ambiguous.candidates()).containsExactly(TaskId.of("abc12345"), TaskId.of("abc67890"));
            });
        }

        @Test
        void anUnknownIdOrPrefixIsNotFound() {
            assertThat(engine.resolve("q")).isInstanceOf(Resolution.NotFound.class);
            assertThat(engine.resolve("abc99999")).isInstanceOf(Resolution.NotFound.class);
            assertThat(engine.resolve("")).isInstanceOf(Resolution.NotFound.class);
            assertThat(engine.resolve("   ")).isInstanceOf(Resolution.NotFound.class);
            assertThat(engine.resolve(null)).isInstanceOf(Resolution.NotFound.class);
            assertThat(engine.resolve("ab-")).isInstanceOf(Resolution.NotFound.class);
        }

        @Test
        void upperCaseInputIsReadAsLowerCase() {
            assertThat(engine.resolve("ABC12345")).isInstanceOf(Resolution.Found.class);
            assertThat(engine.resolve(" XYZ ")).isInstanceOfSatisfying(Resolution.Found.class,
                    found -> assertThat(found.task().id()).isEqualTo(TaskId.of("xyz00001")));
        }

        @Test
        void inputLongerThanAnIdIsNotFound() {
            assertThat(engine.resolve("abc123456")).isInstanceOfSatisfying(Resolution.NotFound.class,
                    notFound -> assertThat(notFound.idOrPrefix()).isEqualTo("abc123456"));
            assertThat(engine.resolve("a".repeat(10_000))).isInstanceOf(Resolution.NotFound.class);
        }

        @Test
        void listingGivesTheNewestFirstAndFiltersByStatus() {
            assertThat(engine.list(Optional.empty())).extracting(task -> task.id().value())
                    .containsExactly("xyz00001", "abc67890", "abc12345");
            assertThat(engine.list(Optional.of(TaskStatus.DISPATCHED))).hasSize(3);
            assertThat(engine.list(Optional.of(TaskStatus.RUNNING))).isEmpty();
        }
    }
}
