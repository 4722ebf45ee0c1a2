package dev.octo.application.service;

import dev.octo.application.port.in.TaskNotice;
import static dev.octo.application.fakes.ScriptedAgentRunner.Step.complete;
import static dev.octo.application.fakes.ScriptedAgentRunner.Step.escalate;
import static dev.octo.application.fakes.ScriptedAgentRunner.Step.fail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.Eventually;
import dev.octo.application.fakes.FakeProcess;
import dev.octo.application.fakes.ScriptedAgentRunner;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.out.OutputChunk;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEvent;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WorkerPoolTest extends EngineTestFixture {

    @Nested
    class TheWorkerPool {

        @Test
        void theWorkloadCountsWhatRunsAndWhatWaitsForAWorker() throws Exception {
            TaskEngine engine = startedEngine(2);
            assertThat(engine.workload()).isEqualTo(new TaskQueries.Workload(0, 0, 2));
            TaskId first = dispatchProcess(engine, "one");
            dispatchProcess(engine, "two");
            dispatchProcess(engine, "three");

            assertThat(engine.workload()).isEqualTo(new TaskQueries.Workload(2, 1, 2));

            processes.awaitProcess(first, LIMIT).finish(0, "", "");
            Eventually.await("the waiting task starts",
                    () -> engine.workload().equals(new TaskQueries.Workload(2, 0, 2)));
        }

        @Test
        void theStartOfAProcessTaskAndItsProcessAreKeptAndWrittenWithItsEnd() throws Exception {
            TaskEngine engine = startedEngine(2);
            TaskId id = dispatchProcess(engine, "make");
            FakeProcess process = processes.awaitProcess(id, LIMIT);
            Eventually.await("the process is recorded", () -> stored(id).process().isPresent());

            // RUNNING with its process is what the store answers, but only DISPATCHED was written:
            // recovery finds a process whose start was not written (RestartRecoveryTest)
            assertThat(stored(id).status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(store.written(id)).extracting(Task::status).containsExactly(TaskStatus.DISPATCHED);

            process.finish(0, "", "");
            assertThat(awaitFinal(engine, id).status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(store.written(id)).extracting(Task::status)
                    .containsExactly(TaskStatus.DISPATCHED, TaskStatus.COMPLETED);
        }

        @Test
        void aProcessTaskHasLogFilesAndOnceFinishedTheExitCodeItRecorded() throws Exception {
            TaskEngine engine = startedEngine(2);
            TaskId id = dispatchProcess(engine, "make");
            FakeProcess process = processes.awaitProcess(id, LIMIT);
            processes.write(id, "out\n", "");

            assertThat(engine.logFiles(id)).isEqualTo(processes.logFiles(id)).hasSize(2);
            assertThat(engine.outputSince(id, OutputChunk.Position.START, 100).stdout().text()).isEqualTo("out\n");
            assertThat(engine.exitCode(id)).isEmpty();

            process.finish(3, "", "");
            awaitFinal(engine, id);
            assertThat(engine.exitCode(id)).contains(3);
        }

        @Test
        void anAgentTaskHasNoLogFilesNoExitCodeAndNoOutputToFollow() throws Exception {
            agents.whenUnscripted(complete("done"));
            TaskEngine engine = startedEngine(2);
            TaskId id = dispatchAgent(engine, "tidy up");
            awaitFinal(engine, id);

            assertThat(engine.logFiles(id)).isEmpty();
            assertThat(engine.exitCode(id)).isEmpty();
            assertThat(engine.outputSince(id, new OutputChunk.Position(5, 7), 100))
                    .isEqualTo(OutputChunk.nothingAt(new OutputChunk.Position(5, 7)));
            assertThat(engine.logFiles(TaskId.of("nosuch00"))).isEmpty();
        }

        @Test
        void aTaskDispatchedBeforeTheStartIsSaidToWait() {
            TaskEngine engine = newEngine(2);

            TaskOutcome outcome = engine.dispatch(DispatchTask.Process.of("make"));

            assertThat(outcome.message()).isEqualTo("Dispatched task " + done(outcome).id() + ": make (waiting to start)");
        }

        @Test
        void neverRunsMoreThanTheLimitAtOnceAndStartsTheOldestFirst() throws Exception {
            // ids that sort the other way round from the order the tasks are made
            for (int i = 10; i >= 1; i--) {
                ids.thenGive(String.format("z%07d", i));
            }
            TaskEngine engine = newEngine(2);
            List<TaskId> dispatched = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                dispatched.add(dispatchProcess(engine, "work " + i));
                clock.advance(Duration.ofSeconds(1));
            }

            engine.start();
            int finished = 0;
            while (finished < 10) {
                int expected = Math.min(2, 10 - finished);
                Eventually.await(() -> expected + " processes run, not " + processes.runningCount(), LIMIT,
                        () -> processes.runningCount() == expected);
                assertThat(engine.runningCount()).isLessThanOrEqualTo(2);
                processes.runningProcesses().get(0).finish(0, "ok", "");
                finished++;
            }

            assertThat(engine.awaitAllSettled(LIMIT)).isTrue();
            assertThat(processes.maxRunningAtOnce()).isEqualTo(2);
            assertThat(processes.starts()).hasSize(10);
            Eventually.await("ten Started events", () -> notifier.events(TaskNotice.Type.STARTED).size() == 10);
            assertThat(notifier.events(TaskNotice.Type.STARTED)).extracting(TaskNotice::taskId)
                    .containsExactlyElementsOf(dispatched.stream().map(TaskId::value).toList());
            assertThat(dispatched).allSatisfy(id -> assertThat(stored(id).status()).isEqualTo(TaskStatus.COMPLETED));
        }

        @Test
        void aPausedAgentTaskFreesItsSlotForTheNextTask() throws Exception {
            TaskEngine engine = startedEngine(1);
            agents.enqueue(escalate("Which branch?"));
            TaskId agent = dispatchAgent(engine, "tidy the repository");
            TaskId process = dispatchProcess(engine, "echo next");

            awaitStatus(agent, TaskStatus.PAUSED);

            awaitProcess(process);
            assertThat(stored(process).status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(stored(agent).question()).contains("Which branch?");
            assertThat(engine.runningCount()).isEqualTo(1);
        }

        @Test
        void aResumedTaskIsStartedAgainAndTheAgentGetsTheAnswer() throws Exception {
            TaskEngine engine = startedEngine(1);
            TaskId id = ids.next();
            ids.thenGive(id.value());
            agents.script(id, escalate("Which branch?"), complete("merged into main"));
            dispatchAgent(engine, "merge the work");
            awaitStatus(id, TaskStatus.PAUSED);

            Task resumed = done(engine.resume(id, "main"));

            assertThat(resumed.status()).isEqualTo(TaskStatus.RESUMED);
            Task finished = awaitFinal(engine, id);
            assertThat(finished.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(finished.result()).contains("merged into main");
            List<Task> runs = agents.runsOf(id);
            assertThat(runs).hasSize(2);
            assertThat(runs.get(0).answer()).isEmpty();
            assertThat(runs.get(1).answer()).contains("main");
            assertThat(runs.get(1).status()).isEqualTo(TaskStatus.RUNNING);
            Eventually.await("all events of the task", () -> eventsOf(TaskNotice.Type.COMPLETED, id).size() == 1);
            assertThat(eventTypesOf(id)).containsExactly(TaskNotice.Type.DISPATCHED, TaskNotice.Type.STARTED,
                    TaskNotice.Type.PAUSED, TaskNotice.Type.RESUMED, TaskNotice.Type.STARTED,
                    TaskNotice.Type.COMPLETED);
        }

        @Test
        void aResumedTaskWaitsForAFreeSlot() throws Exception {
            TaskEngine engine = startedEngine(1);
            TaskId agent = ids.next();
            ids.thenGive(agent.value());
            agents.script(agent, escalate("Which branch?"), complete("done"));
            dispatchAgent(engine, "merge the work");
            awaitStatus(agent, TaskStatus.PAUSED);
            TaskId process = dispatchProcess(engine, "sleep 100");
            FakeProcess running = awaitProcess(process);

            engine.resume(agent, "main");

            assertThat(stored(agent).status()).isEqualTo(TaskStatus.RESUMED);
            assertThat(agents.runsOf(agent)).hasSize(1);
            running.finish(0, "", "");
            assertThat(awaitFinal(engine, agent).status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(agents.runsOf(agent)).hasSize(2);
        }

        @Test
        void anAgentThatFailsOrThrowsFailsItsTaskAndFreesTheSlot() throws Exception {
            TaskEngine engine = startedEngine(1);
            agents.enqueue(fail("the model is unreachable"),
                    ScriptedAgentRunner.Step.throwing(new IllegalStateException("bug in the runner")));
            TaskId first = dispatchAgent(engine, "one");
            TaskId second = dispatchAgent(engine, "two");

            assertThat(awaitFinal(engine, first).error()).contains("the model is unreachable");
            assertThat(awaitFinal(engine, second).error()).hasValueSatisfying(error -> assertThat(error)
                    .contains("bug in the runner"));
            assertThat(engine.awaitAllSettled(LIMIT)).isTrue();
        }
    }
}
