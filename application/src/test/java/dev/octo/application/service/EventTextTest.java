package dev.octo.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.port.out.ProcessExit;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEvent;
import dev.octo.domain.TaskId;
import dev.octo.domain.Transition;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTextTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

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
