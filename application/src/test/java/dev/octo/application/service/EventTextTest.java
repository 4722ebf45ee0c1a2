package dev.octo.application.service;

import static org.assertj.core.api.Assertions.assertThat;

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
}
