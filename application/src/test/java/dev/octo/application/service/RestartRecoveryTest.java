package dev.octo.application.service;

import dev.octo.application.port.in.TaskNotice;
import static dev.octo.application.fakes.ScriptedAgentRunner.Step.blockUntilInterrupted;
import static dev.octo.application.fakes.ScriptedAgentRunner.Step.complete;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.Eventually;
import dev.octo.application.fakes.FakeProcess;
import dev.octo.application.port.out.ProcessExit;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEvent;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import dev.octo.domain.Timeout;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RestartRecoveryTest extends EngineTestFixture {

    @Nested
    class RecoveringAfterARestart {

        @Test
        void dispatchedAndResumedTasksAreRunAgain() throws Exception {
            Task dispatched = dispatchedAt("dddddddd", processSpec("echo again"), EARLIER);
            Task resumed = resumedAt("rrrrrrrr", agentSpec("merge"), EARLIER.plusSeconds(10), "main");
            store.save(dispatched);
            store.save(resumed);
            agents.script(resumed.id(), complete("merged"));
            TaskEngine engine = startedEngine(3);

            awaitProcess(dispatched.id()).finish(0, "again", "");

            assertThat(awaitFinal(engine, dispatched.id()).status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(awaitFinal(engine, resumed.id()).status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(agents.runsOf(resumed.id())).singleElement()
                    .satisfies(run -> assertThat(run.answer()).contains("main"));
        }

        @Test
        void aDispatchedProcessTaskWhoseCommandRunsIsAdoptedNotStartedAgain() throws Exception {
            // its start and process are written with its end: an instance that died before left it DISPATCHED
            Task dispatched = dispatchedAt("dddddddd", processSpec("make all"), EARLIER);
            store.save(dispatched);
            FakeProcess process = processes.adoptStillRunning(dispatched.id());
            TaskEngine engine = startedEngine(2);

            assertThat(processes.adoptCalls()).containsExactly(dispatched.id());
            assertThat(processes.starts()).isEmpty();
            assertThat(stored(dispatched.id()).status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(stored(dispatched.id()).process()).isPresent();

            process.finish(0, "built", "");

            assertThat(awaitFinal(engine, dispatched.id()).status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(processes.starts()).isEmpty();
        }

        @Test
        void aDispatchedProcessTaskWhoseCommandEndedMeanwhileEndsWithItsExit() throws Exception {
            Task dispatched = dispatchedAt("eeeeeeee", processSpec("make all"), EARLIER);
            store.save(dispatched);
            processes.adoptEnded(dispatched.id(), new ProcessExit(2, "", "broken"));
            TaskEngine engine = startedEngine(2);

            Task task = awaitFinal(engine, dispatched.id());

            assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(task.startedAt()).isPresent();
            assertThat(processes.starts()).isEmpty();
        }

        @Test
        void aDispatchedProcessTaskThatEndedMeanwhileStartedWhenItsFilesSayItsCommandDid() throws Exception {
            Task dispatched = dispatchedAt("eeeeeee2", processSpec("make all"), EARLIER);
            Task clockSetBack = dispatchedAt("eeeeeee3", processSpec("make all"), EARLIER);
            store.save(dispatched);
            store.save(clockSetBack);
            Instant commandStarted = EARLIER.plusSeconds(600);
            Instant ended = EARLIER.plusSeconds(900);
            processes.adoptEnded(dispatched.id(), new ProcessExit(0, "", "", Optional.of(ended)), commandStarted);
            // a start the files place after the end (a clock set back) is taken as the end
            processes.adoptEnded(clockSetBack.id(), new ProcessExit(0, "", "", Optional.of(ended)),
                    ended.plusSeconds(60));
            TaskEngine engine = startedEngine(2);

            assertThat(awaitFinal(engine, dispatched.id()).startedAt()).contains(commandStarted);
            assertThat(awaitFinal(engine, clockSetBack.id()).startedAt()).contains(ended);
        }

        @Test
        void aProcessStillRunningIsWatchedAndCompletesWhenItEnds() throws Exception {
            Task running = runningProcessWithRef("pppppppp", processSpec("make all"), EARLIER);
            store.save(running);
            FakeProcess process = processes.adoptStillRunning(running.id());
            TaskEngine engine = startedEngine(2);

            assertThat(processes.adoptCalls()).containsExactly(running.id());
            assertThat(processes.starts()).isEmpty();
            assertThat(engine.runningProcessTasks()).extracting(Task::id).containsExactly(running.id());
            assertThat(stored(running.id()).status()).isEqualTo(TaskStatus.RUNNING);

            process.finish(0, "built", "");

            Task task = awaitFinal(engine, running.id());
            assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(task.result()).contains("built");
            assertThat(eventTypesOf(running.id())).doesNotContain(TaskNotice.Type.STARTED);
        }

        @Test
        void anAdoptedProcessWithoutARecordedRefGetsItRecorded() {
            Task running = runningAt("pppppppp", processSpec("make all"), EARLIER);
            store.save(running);
            FakeProcess process = processes.adoptStillRunning(running.id());

            startedEngine(2);

            assertThat(stored(running.id()).process()).contains(process.ref());
        }

        @Test
        void cancellingAnAdoptedProcessTerminatesIt() throws Exception {
            Task running = runningProcessWithRef("pppppppp", processSpec("sleep 1000"), EARLIER);
            store.save(running);
            FakeProcess process = processes.adoptStillRunning(running.id());
            TaskEngine engine = startedEngine(2);

            done(engine.cancel(running.id()));

            assertThat(process.wasTerminated()).isTrue();
            assertThat(awaitFinal(engine, running.id()).status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(engine.awaitAllSettled(LIMIT)).isTrue();
        }

        @Test
        void anAdoptedProcessPastItsTimeoutIsTerminatedAtOnce() throws Exception {
            ProcessSpec spec = processSpec("sleep 1000").withTimeout(
                    Timeout.limited(Duration.ofSeconds(1), Duration.ofSeconds(1)));
            Task running = runningProcessWithRef("pppppppp", spec, EARLIER);
            store.save(running);
            FakeProcess process = processes.adoptStillRunning(running.id());
            TaskEngine engine = startedEngine(2);

            Task task = awaitFinal(engine, running.id());

            assertThat(process.wasTerminated()).isTrue();
            assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(task.error()).contains("Timed out after 1 s");
        }

        @Test
        void aProcessThatEndedMeanwhileCompletesOrFailsFromItsExitStatus() throws Exception {
            Task succeeded = runningProcessWithRef("aaaaaaaa", processSpec("true"), EARLIER);
            Task failed = runningProcessWithRef("bbbbbbbb", processSpec("false"), EARLIER.plusSeconds(5));
            store.save(succeeded);
            store.save(failed);
            processes.adoptEnded(succeeded.id(), new ProcessExit(0, "all good", ""));
            processes.adoptEnded(failed.id(), new ProcessExit(3, "", "disk full"));

            TaskEngine engine = startedEngine(2);

            Task completed = awaitFinal(engine, succeeded.id());
            assertThat(completed.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(completed.result()).contains("all good");
            Task failedTask = awaitFinal(engine, failed.id());
            assertThat(failedTask.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(failedTask.error()).hasValueSatisfying(error -> assertThat(error)
                    .startsWith("Exit code 3").contains("disk full"));
            assertThat(engine.awaitAllSettled(LIMIT)).isTrue();
        }

        @Test
        void aProcessThatEndedMeanwhileEndsAtTheTimeItEndedNotWhenOctoNoticed() throws Exception {
            Task running = runningProcessWithRef("aaaaaaaa", processSpec("sleep 2 && echo x"), EARLIER);
            store.save(running);
            Instant ended = EARLIER.plusSeconds(5);
            processes.adoptEnded(running.id(), new ProcessExit(0, "x", "", Optional.of(ended)));

            TaskEngine engine = startedEngine(2);

            Task task = awaitFinal(engine, running.id());
            assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(task.finishedAt()).contains(ended);
            assertThat(awaitEvent(TaskNotice.Type.COMPLETED, running.id()).at()).isEqualTo(ended);
        }

        @Test
        void aProcessWhoseCommandNeverRanIsQueuedAgainAndRunsOnceNow() throws Exception {
            Task running = runningProcessWithRef("nnnnnnnn", processSpec("echo once"), EARLIER);
            store.save(running);
            processes.adoptNeverStarted(running.id());

            TaskEngine engine = startedEngine(2);

            FakeProcess process = awaitProcess(running.id());
            assertThat(processes.startedIds()).containsExactly(running.id());
            process.finish(0, "once", "");
            Task task = awaitFinal(engine, running.id());
            assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(task.result()).contains("once");
            // it started now, not when the start that never ran was recorded
            assertThat(task.startedAt()).contains(clock.instant());
            awaitEvent(TaskNotice.Type.COMPLETED, running.id());
            assertThat(eventTypesOf(running.id())).containsExactly(TaskNotice.Type.DISPATCHED,
                    TaskNotice.Type.STARTED, TaskNotice.Type.COMPLETED);
            assertThat(processes.startedIds()).containsExactly(running.id());
        }

        @Test
        void aTaskQueuedAgainWaitsBehindTheTasksThatStillRunForAFreeWorker() throws Exception {
            // the task queued again is the older one, and is found first
            store.save(runningProcessWithRef("nnnnnnnn", processSpec("never ran"), EARLIER));
            store.save(runningProcessWithRef("pppppppp", processSpec("still runs"), EARLIER.plusSeconds(10)));
            processes.adoptNeverStarted(TaskId.of("nnnnnnnn"));
            FakeProcess stillRunning = processes.adoptStillRunning(TaskId.of("pppppppp"));

            TaskEngine engine = startedEngine(1);

            assertThat(stored(TaskId.of("nnnnnnnn")).status()).isEqualTo(TaskStatus.DISPATCHED);
            assertThat(processes.starts()).isEmpty();
            stillRunning.finish(0, "", "");
            awaitProcess(TaskId.of("nnnnnnnn")).finish(0, "", "");
            assertThat(awaitFinal(engine, TaskId.of("nnnnnnnn")).status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(processes.maxRunningAtOnce()).isEqualTo(1);
        }

        @Test
        void aProcessGoneLeavingSomethingThatIsNoStatusFailsNamingItAndIsReportedAtStart() throws Exception {
            Task running = runningProcessWithRef("gggggggg", processSpec("sleep 1000"), EARLIER);
            store.save(running);
            String problem = "Exit file tasks/gggggggg.exit is a FIFO, not a regular file; moved it to gggggggg.exit.corrupt";
            processes.adoptGoneWithUnreadableStatus(running.id(), problem);

            TaskEngine engine = startedEngine(2);

            Task task = awaitFinal(engine, running.id());
            assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(task.error()).hasValueSatisfying(error -> assertThat(error).startsWith("Interrupted")
                    .endsWith(problem));
            assertThat(engine.loadProblems()).containsExactly(problem);
        }

        @Test
        void aProcessThatIsGoneFailsAsInterrupted() throws Exception {
            Task running = runningProcessWithRef("gggggggg", processSpec("sleep 1000"), EARLIER);
            store.save(running);
            processes.adoptGone(running.id());

            TaskEngine engine = startedEngine(2);

            Task task = awaitFinal(engine, running.id());
            assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(task.error()).hasValueSatisfying(error -> assertThat(error).startsWith("Interrupted"));
        }

        @Test
        void aRunningAgentTaskContinuesWithoutBeingStartedAgain() throws Exception {
            Task running = runningAt("aaaaaaaa", agentSpec("write the report"), EARLIER);
            store.save(running);
            agents.script(running.id(), complete("report written"));

            TaskEngine engine = startedEngine(2);

            Task task = awaitFinal(engine, running.id());
            assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(agents.runsOf(running.id())).singleElement().isEqualTo(running);
            awaitEvent(TaskNotice.Type.COMPLETED, running.id());
            assertThat(eventsOf(TaskNotice.Type.STARTED, running.id())).isEmpty();
        }

        @Test
        void aPausedTaskStaysPausedAndCanStillBeAnswered() throws Exception {
            Task paused = pausedAt("pppppppp", agentSpec("deploy"), EARLIER, "Which server?");
            store.save(paused);
            agents.script(paused.id(), complete("deployed"));
            TaskEngine engine = startedEngine(2);

            assertThat(engine.awaitAllSettled(LIMIT)).isTrue();
            assertThat(stored(paused.id()).status()).isEqualTo(TaskStatus.PAUSED);
            assertThat(agents.runs()).isEmpty();

            done(engine.resume(paused.id(), "the blue one"));

            assertThat(awaitFinal(engine, paused.id()).status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(agents.runsOf(paused.id())).singleElement()
                    .satisfies(run -> assertThat(run.answer()).contains("the blue one"));
        }

        @Test
        void finalTasksAreLeftAsTheyAre() {
            Task completed = applied(runningAt("cccccccc", processSpec("true"), EARLIER).complete("ok", EARLIER.plusSeconds(5)));
            store.save(completed);

            startedEngine(2);

            assertThat(stored(completed.id())).isEqualTo(completed);
            assertThat(processes.adoptCalls()).isEmpty();
            assertThat(processes.starts()).isEmpty();
        }

        @Test
        void noTaskIsLeftShowingRunningWithoutAnythingRunningIt() throws Exception {
            // an older resumed task, a running agent task and a running process that still runs,
            // with one worker: the running ones must go on at once, not wait behind the resumed one
            store.save(resumedAt("rrrrrrrr", agentSpec("older, resumed"), EARLIER, "yes"));
            store.save(runningAt("aaaaaaaa", agentSpec("running agent"), EARLIER.plusSeconds(10)));
            store.save(runningProcessWithRef("pppppppp", processSpec("running process"), EARLIER.plusSeconds(20)));
            store.save(dispatchedAt("dddddddd", processSpec("waiting process"), EARLIER.plusSeconds(30)));
            processes.adoptStillRunning(TaskId.of("pppppppp"));
            agents.whenUnscripted(blockUntilInterrupted());

            startedEngine(1);

            Eventually.await(() -> "every RUNNING task runs; running tasks: " + store.list().stream()
                    .filter(task -> task.status() == TaskStatus.RUNNING).map(Task::id).toList()
                    + ", processes: " + processes.runningProcesses() + ", agent runs: " + agents.runs().stream()
                    .map(Task::id).toList(), LIMIT, () -> store.list().stream()
                    .filter(task -> task.status() == TaskStatus.RUNNING)
                    .allMatch(task -> processes.isRunning(task.id()) || agents.isRunning(task.id())));
            assertThat(stored(TaskId.of("aaaaaaaa")).status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(agents.isRunning(TaskId.of("aaaaaaaa"))).isTrue();
        }

        @Test
        void everyRunningTaskHasAnExecutionAfterRecovery() throws Exception {
            store.save(dispatchedAt("dddddddd", processSpec("echo queued"), EARLIER));
            store.save(resumedAt("rrrrrrrr", agentSpec("resumed"), EARLIER.plusSeconds(1), "yes"));
            store.save(runningAt("aaaaaaaa", agentSpec("running agent"), EARLIER.plusSeconds(2)));
            store.save(runningProcessWithRef("pppppppp", processSpec("still running"), EARLIER.plusSeconds(3)));
            store.save(runningProcessWithRef("eeeeeeee", processSpec("ended"), EARLIER.plusSeconds(4)));
            store.save(runningProcessWithRef("gggggggg", processSpec("gone"), EARLIER.plusSeconds(5)));
            store.save(pausedAt("qqqqqqqq", agentSpec("paused"), EARLIER.plusSeconds(6), "Why?"));
            processes.adoptStillRunning(TaskId.of("pppppppp"));
            processes.adoptEnded(TaskId.of("eeeeeeee"), new ProcessExit(0, "", ""));
            processes.adoptGone(TaskId.of("gggggggg"));
            agents.whenUnscripted(blockUntilInterrupted());

            startedEngine(5);

            Eventually.await("every RUNNING task runs", () -> store.list().stream()
                    .filter(task -> task.status() == TaskStatus.RUNNING)
                    .allMatch(task -> processes.isRunning(task.id()) || agents.isRunning(task.id())));
            Eventually.await("the queued tasks run", () -> processes.isRunning(TaskId.of("dddddddd"))
                    && agents.isRunning(TaskId.of("rrrrrrrr")));
            assertThat(stored(TaskId.of("eeeeeeee")).status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(stored(TaskId.of("gggggggg")).status()).isEqualTo(TaskStatus.FAILED);
            assertThat(stored(TaskId.of("qqqqqqqq")).status()).isEqualTo(TaskStatus.PAUSED);
        }
    }
}
