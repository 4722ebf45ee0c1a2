package dev.octo.application.port.in;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.port.out.ProcessExit;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEvent;
import dev.octo.domain.TaskId;
import dev.octo.domain.Transition;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventTextTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void aCancelIsNotToldAgainOnTheChannelThatAskedForItButIsOnEveryOther() {
        TaskEvent cancelled = cancel(Optional.of("cli"));

        assertThat(EventText.notification(cancelled, "cli")).isEmpty();
        assertThat(EventText.notification(cancelled, "telegram:42")).contains("Task abcd1234 cancelled: sleep 100");
    }

    @Test
    void aCancelThatNoChannelAskedForIsToldOnEveryChannel() {
        TaskEvent cancelled = cancel(Optional.empty());

        assertThat(EventText.notification(cancelled, "cli")).contains("Task abcd1234 cancelled: sleep 100");
        assertThat(EventText.notification(cancelled, "telegram:42")).isEqualTo(EventText.notification(cancelled));
    }

    @Test
    void otherEventsAreToldOnEveryChannelAlike() {
        Task running = applied(Task.dispatch(TaskId.of("abcd1234"), ProcessSpec.of("make", Path.of("/srv")), T0)
                .start(T0.plusSeconds(1)));
        TaskEvent failed = ((Transition.Applied) running.fail("Exit code 2", T0.plusSeconds(2))).event();

        assertThat(EventText.notification(failed, "cli")).isEqualTo(EventText.notification(failed))
                .contains("Task abcd1234 failed: make\n  Exit code 2");
    }

    private static TaskEvent cancel(Optional<String> channel) {
        Task running = applied(Task.dispatch(TaskId.of("abcd1234"), ProcessSpec.of("sleep 100", Path.of("/srv")), T0)
                .start(T0.plusSeconds(1)));
        return ((Transition.Applied) running.cancel(T0.plusSeconds(2), channel)).event();
    }

    private static Task applied(Transition transition) {
        return ((Transition.Applied) transition).task();
    }

    private static TaskEvent failure(String command, String reason) {
        Task running = ((Transition.Applied) Task.dispatch(TaskId.of("fail0001"), ProcessSpec.of(command, Path.of("/w")), T0)
                .start(T0)).task();
        return ((Transition.Applied) running.fail(reason, T0.plusSeconds(1))).event();
    }

    @Test
    void aFailedCommandIsToldWithTheEndOfItsStderr() {
        String reason = new ProcessExit(127, "", "/bin/sh: 1: nosuchcmd: not found\n").failureReason();

        String text = EventText.notification(failure("nosuchcmd", reason)).orElseThrow();

        assertThat(text).isEqualTo("Task fail0001 failed: nosuchcmd\n  Exit code 127\n  /bin/sh: 1: nosuchcmd: not found");
    }

    @Test
    void ofALongStderrOnlyTheLastFiveLinesAreTold() {
        StringBuilder stderr = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            stderr.append("warning ").append(i).append("\n\n");
        }
        String reason = new ProcessExit(2, "", stderr + "error: build failed\n").failureReason();

        String text = EventText.notification(failure("make", reason)).orElseThrow();

        assertThat(text.lines()).containsExactly("Task fail0001 failed: make", "  Exit code 2", "  warning 37",
                "  warning 38", "  warning 39", "  warning 40", "  error: build failed");
    }

    @Test
    void aReasonOfOneLineIsToldAlone() {
        String text = EventText.notification(failure("sleep 100", "Timed out after 5 s")).orElseThrow();

        assertThat(text).isEqualTo("Task fail0001 failed: sleep 100\n  Timed out after 5 s");
    }

    @Test
    void everyLineOfTheDetailIsClipped() {
        String reason = new ProcessExit(1, "", "x".repeat(10_000)).failureReason();

        String text = EventText.notification(failure("big", reason)).orElseThrow();

        assertThat(text.lines()).hasSize(3).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(502));
    }
}
