package dev.octo.domain;

import static dev.octo.domain.Tasks.applied;
import static dev.octo.domain.Tasks.at;
import static dev.octo.domain.Tasks.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The rules the engine asks a task about: new work from it, how a run ends, when its limit runs out. */
class TaskRulesTest {

    private static final Timeout TEN_MINUTES = Timeout.limited(Duration.ofMinutes(10), Duration.ofMinutes(10));

    @Nested
    class NewWorkFromATask {

        @ParameterizedTest
        @EnumSource(value = TaskStatus.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
        void startsOnlyFromAFinishedTask(TaskStatus status) {
            Task task = Tasks.anAgentTaskIn(status);

            assertThat(task.refusesNewWork(NewWork.RETRY)).isEmpty();
            assertThat(task.refusesNewWork(NewWork.FOLLOW_UP)).isEmpty();
        }

        @ParameterizedTest
        @EnumSource(value = TaskStatus.class, names = {"DISPATCHED", "RUNNING", "PAUSED", "RESUMED"})
        void isRefusedByAnUnfinishedTaskThatStaysAsItWas(TaskStatus status) {
            Task task = Tasks.anAgentTaskIn(status);

            NewWork.Refused refused = task.refusesNewWork(NewWork.RETRY).orElseThrow();

            assertThat(refused.taskId()).isEqualTo(task.id());
            assertThat(refused.status()).isEqualTo(status);
            assertThat(refused.asked()).isEqualTo(NewWork.RETRY);
            assertThat(Tasks.anAgentTaskIn(status)).isEqualTo(task);
        }

        @Test
        void aRefusedRetrySaysToCancelFirst() {
            Task running = Tasks.aRunningProcessTask();

            assertThat(running.refusesNewWork(NewWork.RETRY).orElseThrow().message()).isEqualTo(
                    "Cannot retry task proc0001 (running): only a finished task can be retried; cancel it first");
        }

        @Test
        void aRefusedFollowUpSaysTheTaskHasNotFinished() {
            Task paused = Tasks.aPausedAgentTask();

            assertThat(paused.refusesNewWork(NewWork.FOLLOW_UP).orElseThrow().message())
                    .isEqualTo("Cannot follow up task agnt0001 (paused): it has not finished yet");
        }
    }

    @Nested
    class AQuestionAsked {

        @Test
        void pausesTheTaskOnIt() {
            Task paused = applied(Tasks.aRunningAgentTask().ask("Which branch?", at(2), EscalationPolicy.DEFAULT));

            assertThat(paused.status()).isEqualTo(TaskStatus.PAUSED);
            assertThat(paused.question()).contains("Which branch?");
        }

        @Test
        void thatCannotBeAskedFailsTheTaskAndSaysWhy() {
            Task failed = applied(Tasks.aRunningAgentTask().ask(" ", at(2), EscalationPolicy.DEFAULT));

            assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(failed.error()).contains("The agent asked a question that cannot be asked: the question is empty");
        }

        @Test
        void tooLongFailsTheTask() {
            Task failed = applied(Tasks.aRunningAgentTask().ask("x".repeat(11), at(2), new EscalationPolicy(10, 10)));

            assertThat(failed.error()).contains("The agent asked a question that cannot be asked: "
                    + "the question is 11 characters long; at most 10 are allowed");
        }

        @Test
        void pastTheLimitFailsTheTaskAsAPauseDoes() {
            Task failed = applied(Tasks.aRunningAgentTask().ask("Which branch?", at(2), new EscalationPolicy(0, 100)));

            assertThat(failed.error()).contains(new EscalationPolicy(0, 100).limitReachedReason());
        }

        @Test
        void byATaskThatIsNotRunningIsRefused() {
            Transition.Refused refusal = refused(Tasks.aPausedAgentTask().ask(" ", at(3), EscalationPolicy.DEFAULT));

            assertThat(refusal.action()).isEqualTo(TaskAction.PAUSE);
        }

        @Test
        void byAProcessTaskIsRefused() {
            Transition.Refused refusal = refused(Tasks.aRunningProcessTask().ask(" ", at(2), EscalationPolicy.DEFAULT));

            assertThat(refusal.reason()).isEqualTo("only an agent task can ask a question");
        }
    }

    @Nested
    class AnExitedCommand {

        @Test
        void withStatusZeroCompletesTheTaskWithItsOutput() {
            Task done = applied(Tasks.aRunningProcessTask().exited(0, "built\n", "Exit code 0", false, at(4)));

            assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(done.result()).contains("built\n");
            assertThat(done.finishedAt()).contains(at(4));
        }

        @Test
        void withStatusZeroCompletesTheTaskAlsoWhenItsLimitRanOutAsItFinished() {
            Task done = applied(timed(Tasks.aRunningProcessTask()).exited(0, "built\n", "Exit code 0", true, at(4)));

            assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
        }

        @Test
        void withAnotherStatusFailsTheTaskWithTheFailureReason() {
            Task failed = applied(Tasks.aRunningProcessTask().exited(2, "", "Exit code 2\nno rule", false, at(4)));

            assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(failed.error()).contains("Exit code 2\nno rule");
        }

        @Test
        void stoppedByItsLimitFailsTheTaskAsTimedOut() {
            Task failed = applied(timed(Tasks.aRunningProcessTask()).exited(143, "", "Exit code 143", true, at(4)));

            assertThat(failed.error()).contains("Timed out after 600 s");
        }

        @Test
        void ofATaskThatIsNoLongerRunningIsRefused() {
            refused(Tasks.aCancelledProcessTask().exited(0, "", "Exit code 0", false, at(5)));
        }
    }

    @Nested
    class ATimeLimit {

        @Test
        void ofAProcessTaskCountsFromItsFirstStartAcrossRestarts() {
            Task running = timed(Tasks.aRunningProcessTask());

            assertThat(running.deadline(at(30))).contains(at(1).plus(Duration.ofMinutes(10)));
        }

        @Test
        void ofAProcessTaskWithNoStartCountsFromThisRun() {
            Task waiting = timed(Tasks.aDispatchedProcessTask());

            assertThat(waiting.deadline(at(5))).contains(at(5).plus(Duration.ofMinutes(10)));
        }

        @Test
        void ofAnAgentTaskCountsFromThisRunSoThatTimePausedIsNotCounted() {
            Task resumed = timed(Tasks.aResumedAgentTask());

            assertThat(resumed.startedAt()).contains(at(1));
            assertThat(resumed.deadline(at(30))).contains(at(30).plus(Duration.ofMinutes(10)));
        }

        @Test
        void ofAnAgentTaskGivesARunWhatItsEarlierRunsLeft() {
            Task running = timed(Tasks.aRunningAgentTask());
            Task used = running.withUsage(AgentUsage.NONE.withRunningTime(Duration.ofMinutes(7)), at(3));

            assertThat(used.deadline(at(100))).contains(at(100).plus(Duration.ofMinutes(3)));
        }

        @Test
        void ofAnAgentTaskWhoseEarlierRunsUsedItAllRunsOutAtTheStart() {
            Task running = timed(Tasks.aRunningAgentTask());
            Task used = running.withUsage(AgentUsage.NONE.withRunningTime(Duration.ofMinutes(12)), at(3));

            assertThat(used.deadline(at(100))).hasValueSatisfying(deadline -> assertThat(deadline).isBefore(at(100)));
        }

        @Test
        void ofAnAgentTaskKeepsItsRunningTimeThroughAPauseAndAResume() {
            Task running = timed(Tasks.aRunningAgentTask())
                    .withUsage(AgentUsage.NONE.withRunningTime(Duration.ofMinutes(4)), at(3));
            Task paused = ((Transition.Applied) running.pause("Which branch?", at(4), EscalationPolicy.DEFAULT)).task();
            Task resumed = ((Transition.Applied) paused.resume("main", at(500), EscalationPolicy.DEFAULT)).task();
            Task again = ((Transition.Applied) resumed.start(at(600))).task();

            assertThat(again.deadline(at(600))).contains(at(600).plus(Duration.ofMinutes(6)));
        }

        @Test
        void isNoneWhenTheTaskHasNoLimit() {
            assertThat(Tasks.aRunningProcessTask().deadline(at(2))).isEmpty();
            assertThat(Tasks.aRunningAgentTask().deadline(at(2))).isEmpty();
        }

        @Test
        void thatStoppedATaskNamesTheAppliedLimit() {
            Task task = Tasks.aRunningProcessTask();
            Task raised = withSpec(task, ((ProcessSpec) task.spec())
                    .withTimeout(Timeout.limited(Duration.ofSeconds(5), Duration.ofSeconds(3_600))));

            assertThat(raised.timedOutReason()).isEqualTo("Timed out after 3600 s");
        }
    }

    /** {@code task} with a ten-minute limit. */
    private static Task timed(Task task) {
        TaskSpec spec = switch (task.spec()) {
            case ProcessSpec process -> process.withTimeout(TEN_MINUTES);
            case AgentSpec agent -> agent.withTimeout(TEN_MINUTES);
        };
        return withSpec(task, spec);
    }

    private static Task withSpec(Task task, TaskSpec spec) {
        return new Task(task.id(), spec, task.status(), task.createdAt(), task.startedAt(), task.finishedAt(),
                task.result(), task.error(), task.question(), task.answer(), task.escalations(), task.attempt(),
                task.parentId(), task.process(), task.usage(), task.updatedAt());
    }
}
