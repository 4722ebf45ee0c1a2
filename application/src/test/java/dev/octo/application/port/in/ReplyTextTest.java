package dev.octo.application.port.in;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.port.out.ProcessExit;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.application.port.in.CommandCatalogue.TaskSubcommand;
import dev.octo.domain.AgentSpec;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.TaskKind;
import dev.octo.domain.TaskStatus;
import dev.octo.domain.TaskId;
import dev.octo.domain.Transition;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplyTextTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void aCancelIsNotToldAgainOnTheChannelThatAskedForItButIsOnEveryOther() {
        TaskNotice cancelled = cancel(Optional.of("cli"));

        assertThat(ReplyText.notification(cancelled, "cli")).isEmpty();
        assertThat(ReplyText.notification(cancelled, "telegram:42")).contains("Task abcd1234 cancelled: sleep 100");
    }

    @Test
    void aCancelThatNoChannelAskedForIsToldOnEveryChannel() {
        TaskNotice cancelled = cancel(Optional.empty());

        assertThat(ReplyText.notification(cancelled, "cli")).contains("Task abcd1234 cancelled: sleep 100");
        assertThat(ReplyText.notification(cancelled, "telegram:42")).isEqualTo(ReplyText.notification(cancelled));
    }

    @Test
    void otherEventsAreToldOnEveryChannelAlike() {
        Task running = applied(Task.dispatch(TaskId.of("abcd1234"), ProcessSpec.of("make", Path.of("/srv")), T0)
                .start(T0.plusSeconds(1)));
        TaskNotice failed = TaskNotice.of(((Transition.Applied) running.fail("Exit code 2", T0.plusSeconds(2))).event());

        assertThat(ReplyText.notification(failed, "cli")).isEqualTo(ReplyText.notification(failed))
                .contains("Task abcd1234 failed: make\n  Exit code 2");
    }

    private static TaskNotice cancel(Optional<String> channel) {
        Task running = applied(Task.dispatch(TaskId.of("abcd1234"), ProcessSpec.of("sleep 100", Path.of("/srv")), T0)
                .start(T0.plusSeconds(1)));
        return TaskNotice.of(((Transition.Applied) running.cancel(T0.plusSeconds(2), channel)).event());
    }

    private static Task applied(Transition transition) {
        return ((Transition.Applied) transition).task();
    }

    private static TaskNotice failure(String command, String reason) {
        Task running = ((Transition.Applied) Task.dispatch(TaskId.of("fail0001"), ProcessSpec.of(command, Path.of("/w")), T0)
                .start(T0)).task();
        return TaskNotice.of(((Transition.Applied) running.fail(reason, T0.plusSeconds(1))).event());
    }

    @Test
    void aFailedCommandIsToldWithTheEndOfItsStderr() {
        String reason = new ProcessExit(127, "", "/bin/sh: 1: nosuchcmd: not found\n").failureReason();

        String text = ReplyText.notification(failure("nosuchcmd", reason)).orElseThrow();

        assertThat(text).isEqualTo("Task fail0001 failed: nosuchcmd\n  Exit code 127\n  /bin/sh: 1: nosuchcmd: not found");
    }

    @Test
    void ofALongStderrOnlyTheLastFiveLinesAreTold() {
        StringBuilder stderr = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            stderr.append("warning ").append(i).append("\n\n");
        }
        String reason = new ProcessExit(2, "", stderr + "error: build failed\n").failureReason();

        String text = ReplyText.notification(failure("make", reason)).orElseThrow();

        assertThat(text.lines()).containsExactly("Task fail0001 failed: make", "  Exit code 2", "  warning 37",
                "  warning 38", "  warning 39", "  warning 40", "  error: build failed");
    }

    @Test
    void aReasonOfOneLineIsToldAlone() {
        String text = ReplyText.notification(failure("sleep 100", "Timed out after 5 s")).orElseThrow();

        assertThat(text).isEqualTo("Task fail0001 failed: sleep 100\n  Timed out after 5 s");
    }

    @Test
    void everyLineOfTheDetailIsClipped() {
        String reason = new ProcessExit(1, "", "x".repeat(10_000)).failureReason();

        String text = ReplyText.notification(failure("big", reason)).orElseThrow();

        assertThat(text.lines()).hasSize(3).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(502));
    }

    @Test
    void aPausedAgentIsToldWithItsQuestionAndWhatToTypeToAnswerIt() {
        Task running = applied(Task.dispatch(TaskId.of("agent001"), AgentSpec.of("ship it", Path.of("/w")), T0)
                .start(T0));
        TaskNotice paused = TaskNotice.of(((Transition.Applied) running.ask("Push to main?", T0.plusSeconds(1),
                EscalationPolicy.DEFAULT)).event());

        assertThat(paused.kind()).isEqualTo(TaskKind.AGENT);
        assertThat(paused.type()).isEqualTo(TaskNotice.Type.PAUSED);
        assertThat(paused.question()).contains("Push to main?");
        assertThat(paused.result()).isEmpty();
        assertThat(paused.actions()).containsExactly(TaskSubcommand.CANCEL, TaskSubcommand.RESUME, TaskSubcommand.LOG);
        assertThat(ReplyText.notification(paused)).contains(
                "Task agent001 asks: Push to main?\n  Answer with: /task agent001 resume <answer>");
    }

    @Test
    void aFinishedTaskOffersItsLogARetryAndAFollowUpButNoCancel() {
        TaskNotice failed = failure("make", "Exit code 2");

        assertThat(failed.taskId()).isEqualTo("fail0001");
        assertThat(failed.kind()).isEqualTo(TaskKind.PROCESS);
        assertThat(failed.error()).contains("Exit code 2");
        assertThat(failed.actions()).containsExactly(TaskSubcommand.LOG, TaskSubcommand.RETRY, TaskSubcommand.FOLLOWUP);
        assertThat(failed.type().told()).isTrue();
    }

    @Test
    void onlyTheEventsAPersonIsToldOfHaveANotification() {
        Task dispatched = Task.dispatch(TaskId.of("wait0001"), ProcessSpec.of("make", Path.of("/w")), T0);
        TaskNotice started = TaskNotice.of(((Transition.Applied) dispatched.start(T0)).event());

        assertThat(started.type().told()).isFalse();
        assertThat(ReplyText.notification(started)).isEmpty();
        assertThat(started.actions()).containsExactly(TaskSubcommand.CANCEL, TaskSubcommand.LOG);
    }

    @Test
    void everyReplyRendersToPlainText() {
        TaskView paused = new TaskView("agent001", "agent", TaskStatus.PAUSED, "12s", "ship it");
        TaskView waiting = new TaskView("wait0001", "process", TaskStatus.DISPATCHED, "3s", "make");
        List<TaskSubcommand> pausedActions = List.of(TaskSubcommand.CANCEL, TaskSubcommand.RESUME);

        assertThat(ReplyText.render(Reply.text("hello"))).isEqualTo("hello");
        assertThat(ReplyText.render(Reply.error("No task matches 'x'."))).isEqualTo("No task matches 'x'.");
        assertThat(ReplyText.render(new Reply.Leave("Bye."))).isEqualTo("Bye.");
        assertThat(ReplyText.render(new Reply.Tasks(List.of(), Optional.empty()))).contains("No tasks yet");
        assertThat(ReplyText.render(new Reply.Tasks(List.of(), Optional.of(TaskStatus.PAUSED))))
                .isEqualTo("No paused tasks.");
        assertThat(ReplyText.render(new Reply.Tasks(List.of(waiting), Optional.empty())).lines())
                .containsExactly("ID        TYPE     STATUS      TIME  WHAT", "wait0001  process  waiting     3s    make");
        assertThat(ReplyText.render(new Reply.Detail(paused, "Question: Push?", pausedActions)))
                .isEqualTo("Task agent001 · agent · paused · 12s\nQuestion: Push?\n"
                        + "Answer with: /task agent001 resume <answer>");
        assertThat(ReplyText.render(new Reply.Detail(waiting, "Command:  make", List.of(TaskSubcommand.CANCEL))))
                .isEqualTo("Task wait0001 · process · waiting · 3s\nCommand:  make");
        assertThat(ReplyText.render(new Reply.Question(paused, "Push?", pausedActions)))
                .isEqualTo("Task agent001 · agent · paused · 12s\nQuestion: Push?\n"
                        + "Answer with: /task agent001 resume <answer>");
    }

    @Test
    void aTableThatLeavesOlderTasksOutCountsThemAndSaysHowToSeeThem() {
        List<TaskView> rows = List.of(new TaskView("wait0001", "process", TaskStatus.DISPATCHED, "3s", "make"));

        assertThat(ReplyText.render(new Reply.Tasks(rows, Optional.empty(), 9_950)).lines()).containsExactly(
                "ID        TYPE     STATUS      TIME  WHAT",
                "wait0001  process  waiting     3s    make",
                "… and 9,950 older tasks: /tasks all shows every one.");
        assertThat(ReplyText.render(new Reply.Tasks(rows, Optional.of(TaskStatus.DISPATCHED), 1)).lines()).last()
                .isEqualTo("… and 1 older waiting task: /tasks all waiting shows every one.");
        assertThat(ReplyText.render(new Reply.Tasks(rows, Optional.of(TaskStatus.FAILED), 2)).lines()).last()
                .isEqualTo("… and 2 older failed tasks: /tasks all failed shows every one.");
        assertThat(ReplyText.olderLine(new Reply.Tasks(rows, Optional.empty(), 0))).isEmpty();
        assertThat(ReplyText.render(new Reply.Tasks(rows, Optional.empty(), 0))).doesNotContain("older");
    }

    @Test
    void aTableWithAnAgentThatUsedTokensHasATokensColumn() {
        List<TaskView> rows = List.of(new TaskView("agent001", "agent", TaskStatus.COMPLETED, "2m 05s", "ship it", "12.3k"),
                new TaskView("wait0001", "process", TaskStatus.RUNNING, "3s", "make"));

        assertThat(ReplyText.table(rows).lines()).containsExactly(
                "ID        TYPE     STATUS      TIME    TOKENS  WHAT",
                "agent001  agent    completed   2m 05s  12.3k   ship it",
                "wait0001  process  running     3s              make");
    }

    @Test
    void tokenCountsAreShortForATable() {
        assertThat(TaskView.compactCount(950)).isEqualTo("950");
        assertThat(TaskView.compactCount(12_345)).isEqualTo("12.3k");
        assertThat(TaskView.compactCount(2_000)).isEqualTo("2k");
        assertThat(TaskView.compactCount(4_120_000)).isEqualTo("4.1M");
    }
}
