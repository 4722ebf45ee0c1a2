package dev.octo.domain;

import static dev.octo.domain.Tasks.applied;
import static dev.octo.domain.Tasks.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TaskTest {

    private static final ProcessRef PROCESS = new ProcessRef(4242, Instant.parse("2025-03-01T09:01:00Z"));

    @Nested
    class ANewTask {

        @Test
        void isDispatchedAtTheGivenInstantAsAFirstAttempt() {
            Task task = Task.dispatch(TaskId.of("abcd1234"), Tasks.aProcessSpec(), at(0));

            assertThat(task.status()).isEqualTo(TaskStatus.DISPATCHED);
            assertThat(task.createdAt()).isEqualTo(at(0));
            assertThat(task.updatedAt()).isEqualTo(at(0));
            assertThat(task.startedAt()).isEmpty();
            assertThat(task.finishedAt()).isEmpty();
            assertThat(task.attempt()).isEqualTo(1);
            assertThat(task.parentId()).isEmpty();
            assertThat(task.escalations()).isZero();
            assertThat(task.kind()).isEqualTo(TaskKind.PROCESS);
        }

        @Test
        void aRetryPointsToItsParentAndCountsTheAttempt() {
            Task retry = Task.dispatch(TaskId.of("abcd1235"), Tasks.aProcessSpec(), at(0),
                    Optional.of(TaskId.of("abcd1234")), 2);

            assertThat(retry.parentId()).contains(TaskId.of("abcd1234"));
            assertThat(retry.attempt()).isEqualTo(2);
        }

        @Test
        void mustBeAFirstAttemptAtLeast() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Task.dispatch(TaskId.of("abcd1234"), Tasks.aProcessSpec(), at(0),
                            Optional.empty(), 0))
                    .withMessage("attempt must be at least 1, not 0");
        }
    }

    @Nested
    class ARunningTask {

        @Test
        void startedWhenItFirstStarted() {
            Task resumed = Tasks.aResumedAgentTask();

            Task runningAgain = applied(resumed.start(at(20)));

            assertThat(runningAgain.startedAt()).contains(at(1));
            assertThat(runningAgain.updatedAt()).isEqualTo(at(20));
        }

        @Test
        void takenUpAtAnInstantBeforeItsLastChangeStartsAtItsLastChange() {
            Task dispatched = Tasks.aDispatchedProcessTask();

            Transition.Applied started = (Transition.Applied) dispatched.start(at(-5));

            assertThat(started.task().startedAt()).contains(at(0));
            assertThat(started.task().updatedAt()).isEqualTo(at(0));
            assertThat(started.event().at()).isEqualTo(at(0));
        }

        @Test
        void aProcessTaskLearnsItsProcess() {
            Task running = Tasks.aRunningProcessTask();

            Task withProcess = running.withProcess(PROCESS, at(2));

            assertThat(withProcess.process()).contains(PROCESS);
            assertThat(withProcess.status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(withProcess.updatedAt()).isEqualTo(at(2));
        }

        @Test
        void forgetsItsProcessWhenItEnds() {
            Task withProcess = Tasks.aRunningProcessTask().withProcess(PROCESS, at(2));

            assertThat(applied(withProcess.complete("ok", at(3))).process()).isEmpty();
            assertThat(applied(withProcess.fail("exit 1", at(3))).process()).isEmpty();
            assertThat(applied(withProcess.cancel(at(3))).process()).isEmpty();
        }

        @Test
        void completesWithItsResult() {
            Task completed = applied(Tasks.aRunningAgentTask().complete("all done", at(5)));

            assertThat(completed.result()).contains("all done");
            assertThat(completed.error()).isEmpty();
            assertThat(completed.finishedAt()).contains(at(5));
        }

        @Test
        void failsWithItsReason() {
            Task failed = applied(Tasks.aRunningProcessTask().fail("exit 2", at(5)));

            assertThat(failed.error()).contains("exit 2");
            assertThat(failed.result()).isEmpty();
            assertThat(failed.finishedAt()).contains(at(5));
        }

        @Test
        void endsAtAnInstantEarlierThanNowWhenItsProcessEndedWhileNobodyWatched() {
            Task running = Tasks.aRunningProcessTask().withProcess(PROCESS, at(2));

            // the process ended at minute 3; Octo noticed at minute 60, but only minute 3 is given
            Task completed = applied(running.complete("ok", at(3)));

            assertThat(completed.finishedAt()).contains(at(3));
            assertThat(completed.updatedAt()).isEqualTo(at(3));
        }

        @Test
        void whoseCommandNeverRanWaitsAgainWithNoStartAndNoProcess() {
            Task running = Tasks.aRunningProcessTask().withProcess(PROCESS, at(2));

            Transition.Applied requeued = (Transition.Applied) running.requeue(at(30));

            Task waiting = requeued.task();
            assertThat(waiting.status()).isEqualTo(TaskStatus.DISPATCHED);
            assertThat(waiting.startedAt()).isEmpty();
            assertThat(waiting.process()).isEmpty();
            assertThat(waiting.updatedAt()).isEqualTo(at(30));
            assertThat(requeued.event()).isEqualTo(new TaskEvent.Dispatched(waiting, at(30)));
            // started again, it starts at the start that runs it
            assertThat(applied(waiting.start(at(31))).startedAt()).contains(at(31));
        }

        @Test
        void ofAnAgentIsNotQueuedAgainSinceItGoesOnFromItsConversation() {
            Transition.Refused refused = Tasks.refused(Tasks.aRunningAgentTask().requeue(at(30)));

            assertThat(refused.message()).isEqualTo("Cannot requeue task agnt0001 (running): only a process task"
                    + " whose command never ran is queued again");
        }
    }

    @Nested
    class OnlyARunningProcessTaskHasAProcess {

        @Test
        void aDispatchedProcessTaskRefusesOne() {
            assertThatIllegalStateException()
                    .isThrownBy(() -> Tasks.aDispatchedProcessTask().withProcess(PROCESS, at(2)))
                    .withMessage("task proc0001 is a dispatched process task; only a running process task has a process");
        }

        @Test
        void aRunningAgentTaskRefusesOne() {
            assertThatIllegalStateException()
                    .isThrownBy(() -> Tasks.aRunningAgentTask().withProcess(PROCESS, at(2)))
                    .withMessageContaining("running agent task");
        }

        @Test
        void aFinishedProcessTaskRefusesOne() {
            assertThatIllegalStateException()
                    .isThrownBy(() -> Tasks.aCompletedProcessTask().withProcess(PROCESS, at(9)))
                    .withMessageContaining("completed process task");
        }
    }

    @Nested
    class APausedTask {

        @Test
        void waitsOnItsQuestion() {
            Task paused = Tasks.aPausedAgentTask();

            assertThat(paused.question()).contains("Which branch?");
            assertThat(paused.escalations()).isEqualTo(1);
            assertThat(paused.status().holdsWorkerSlot()).isFalse();
        }

        @Test
        void cancelledKeepsTheQuestionItWasWaitingOn() {
            Task cancelled = applied(Tasks.aPausedAgentTask().cancel(at(9)));

            assertThat(cancelled.question()).contains("Which branch?");
            assertThat(cancelled.finishedAt()).contains(at(9));
        }

        @Test
        void resumedRemembersTheAnswer() {
            Task resumed = Tasks.aResumedAgentTask();

            assertThat(resumed.answer()).contains("main");
            assertThat(resumed.question()).isEmpty();
        }
    }

    @Nested
    class ATaskRecord {

        private final Task dispatched = Tasks.aDispatchedAgentTask();

        @Test
        void thatIsPausedHasAQuestion() {
            assertThatIllegalArgumentException().isThrownBy(() -> with(TaskStatus.PAUSED, Optional.empty(),
                    Optional.empty(), Optional.empty(), dispatched.updatedAt(), 0))
                    .withMessage("a paused task has a question");
        }

        @Test
        void thatIsFinalHasAFinishedAt() {
            assertThatIllegalArgumentException().isThrownBy(() -> with(TaskStatus.CANCELLED, Optional.empty(),
                    Optional.empty(), Optional.empty(), dispatched.updatedAt(), 0))
                    .withMessage("a cancelled task has a finishedAt");
        }

        @Test
        void ofAnAgentHasNoProcess() {
            assertThatIllegalArgumentException().isThrownBy(() -> with(TaskStatus.RUNNING, Optional.empty(),
                    Optional.empty(), Optional.of(PROCESS), dispatched.updatedAt(), 0))
                    .withMessage("only a process task has a process");
        }

        @Test
        void isNotUpdatedBeforeItWasCreated() {
            assertThatIllegalArgumentException().isThrownBy(() -> with(TaskStatus.DISPATCHED, Optional.empty(),
                    Optional.empty(), Optional.empty(), at(-1), 0))
                    .withMessageContaining("is before createdAt");
        }

        @Test
        void hasNoNegativeEscalations() {
            assertThatIllegalArgumentException().isThrownBy(() -> with(TaskStatus.DISPATCHED, Optional.empty(),
                    Optional.empty(), Optional.empty(), dispatched.updatedAt(), -1))
                    .withMessage("escalations must not be negative, not -1");
        }

        private Task with(TaskStatus status, Optional<String> question, Optional<Instant> finishedAt,
                Optional<ProcessRef> process, Instant updatedAt, int escalations) {
            return new Task(dispatched.id(), dispatched.spec(), status, dispatched.createdAt(), Optional.empty(),
                    finishedAt, Optional.empty(), Optional.empty(), question, Optional.empty(), escalations, 1,
                    Optional.empty(), process, AgentUsage.NONE, updatedAt);
        }
    }

    @Nested
    class Usage {

        @Test
        void ofARunningAgentTaskIsRecordedWithoutATransition() {
            Task running = Tasks.aRunningAgentTask();
            AgentUsage usage = AgentUsage.NONE.plusTurn(120, 30).plusTurn(200, 10)
                    .withRunningTime(Duration.ofSeconds(9));

            Task used = running.withUsage(usage, at(7));

            assertThat(used.status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(used.usage()).isEqualTo(new AgentUsage(2, 320, 40, Duration.ofSeconds(9)));
            assertThat(used.usage().totalTokens()).isEqualTo(360);
            assertThat(used.updatedAt()).isEqualTo(at(7));
        }

        @Test
        void staysOnTheTaskThroughItsTransitions() {
            AgentUsage usage = AgentUsage.NONE.plusTurn(5, 6);
            Task used = Tasks.aRunningAgentTask().withUsage(usage, at(7));

            Task completed = ((Transition.Applied) used.complete("done", at(8))).task();

            assertThat(completed.usage()).isEqualTo(usage);
        }

        @Test
        void isRecordedOnlyOnARunningAgentTask() {
            assertThatIllegalStateException()
                    .isThrownBy(() -> Tasks.aRunningProcessTask().withUsage(AgentUsage.NONE, at(7)));
            assertThatIllegalStateException()
                    .isThrownBy(() -> Tasks.aPausedAgentTask().withUsage(AgentUsage.NONE, at(7)));
        }

        @Test
        void isNeverNegative() {
            assertThatIllegalArgumentException().isThrownBy(() -> new AgentUsage(0, -1, 0, Duration.ZERO));
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new AgentUsage(0, 0, 0, Duration.ofSeconds(-1)));
        }
    }

    @Test
    void aCancelNamesTheChannelThatAskedForIt() {
        Transition.Applied asked = (Transition.Applied) Tasks.aRunningAgentTask().cancel(at(9), Optional.of("cli"));
        Transition.Applied unasked = (Transition.Applied) Tasks.aRunningAgentTask().cancel(at(9));

        assertThat(asked.event()).isEqualTo(new TaskEvent.Cancelled(asked.task(), at(9), Optional.of("cli")));
        assertThat(unasked.event()).isEqualTo(new TaskEvent.Cancelled(unasked.task(), at(9), Optional.empty()))
                .isEqualTo(new TaskEvent.Cancelled(unasked.task(), at(9)));
        assertThat(asked.task()).isEqualTo(unasked.task());
    }

    @Test
    void anEventNamesItsTask() {
        Transition.Applied applied = (Transition.Applied) Tasks.aRunningAgentTask().cancel(at(9));

        assertThat(applied.event().taskId()).isEqualTo(Tasks.AGENT_ID);
        assertThat(applied.taskId()).isEqualTo(Tasks.AGENT_ID);
    }
}
