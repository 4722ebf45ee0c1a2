package dev.octo.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.adapters.persistence.JsonFileTaskStore;
import dev.octo.adapters.telegram.fake.FakeBotApi;
import dev.octo.application.fakes.Eventually;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code octo telegram} in a JVM of its own, talking to a fake Bot API server with the real
 * TelegramBots client, and stopped with SIGTERM as a service manager stops it.
 */
class TelegramDaemonTest {

    private static final String TOKEN = "123456:daemon-test-token";
    private static final long OWNER = 42L;
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path workingDirectory;

    private final FakeBotApi telegram = FakeBotApi.start(TOKEN);

    @AfterEach
    void stopTheFakeAndTheTasksOfThisFolder() throws InterruptedException {
        telegram.close();
        String folder = workingDirectory.toString();
        try {
            Eventually.await(Duration.ofSeconds(10),
                    () -> Processes.withMarkerAndDescendants(folder).stream().noneMatch(Processes::isRunning));
        } catch (AssertionError stillRunning) {
            Processes.killAll(folder);
        }
    }

    private Map<String, String> environment() {
        return Map.of("OCTO_DIR", workingDirectory.resolve(".octo").toString(),
                "TELEGRAM_BOT_TOKEN", TOKEN,
                "TELEGRAM_OWNER_ID", Long.toString(OWNER),
                "TELEGRAM_API_URL", telegram.url());
    }

    /** The tasks as a running daemon last wrote them (a store reads its folder once). */
    private JsonFileTaskStore store() {
        return new JsonFileTaskStore(workingDirectory.resolve(".octo/tasks"));
    }

    @Test
    void sigtermStopsItCleanlyAndTheNextStartAdoptsTheProcessTaskLeftRunning() throws Exception {
        TaskId id = TaskId.of("sigterm1");
        store().save(Task.dispatch(id, ProcessSpec.of("touch started; sleep 4; echo survived", workingDirectory),
                Instant.now()));

        try (ChildOcto daemon = ChildOcto.start(workingDirectory, environment(), "telegram")) {
            Eventually.await("the task started", LIMIT, () -> Files.exists(workingDirectory.resolve("started")));
            daemon.terminate();

            // the JVM's status after a SIGTERM it handled: 128 + 15
            assertThat(daemon.awaitExit(LIMIT)).isEqualTo(143);
            assertThat(daemon.stderr()).contains("octo: the Telegram-only daemon runs")
                    .contains("octo: stopped; running process tasks go on and the next start adopts them")
                    .doesNotContain("Exception");
        }
        Task leftRunning = store().find(id).orElseThrow();
        assertThat(leftRunning.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(leftRunning.process()).hasValueSatisfying(process ->
                assertThat(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive)).contains(true));

        try (ChildOcto next = ChildOcto.start(workingDirectory, environment(), "telegram")) {
            Eventually.await(() -> "the adopted task completed; " + next.diagnostics(), LIMIT,
                    () -> store().find(id).map(Task::status).equals(Optional.of(TaskStatus.COMPLETED)));
            assertThat(store().find(id).orElseThrow().result()).hasValueSatisfying(result ->
                    assertThat(result).contains("survived"));
            next.terminate();
            assertThat(next.awaitExit(LIMIT)).isEqualTo(143);
        }
    }
}
