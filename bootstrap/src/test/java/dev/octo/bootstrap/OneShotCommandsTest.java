package dev.octo.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.octo.adapters.cli.socket.SocketClient;
import dev.octo.adapters.cli.socket.SocketClient.ServerMessage;
import dev.octo.application.fakes.Eventually;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code octo bg|wait|tasks|task} for scripts, with no Octo running and through a running one's socket. */
class OneShotCommandsTest {

    private static final Duration REPLY = Duration.ofSeconds(30);

    @TempDir
    Path workingDirectory;

    @AfterEach
    void letTheTasksOfThisFolderEnd() throws InterruptedException {
        String folder = workingDirectory.toString();
        try {
            Eventually.await(Duration.ofSeconds(10),
                    () -> Processes.withMarkerAndDescendants(folder).stream().noneMatch(Processes::isRunning));
        } catch (AssertionError stillRunning) {
            Processes.killAll(folder);
        }
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    private Result octo(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Octo.run(args, Map.of(), workingDirectory, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withNoOctoRunningBgPrintsTheIdAndWaitExitsWithTheTasksCode() throws Exception {
        Result bg = octo("bg", "exit 3");
        assertThat(bg.exitCode()).as(bg.stderr()).isZero();
        String id = bg.stdout().strip();
        assertThat(id).matches("[a-z0-9]{8}");

        Result waited = octo("wait", id);

        assertThat(waited.exitCode()).as(waited.stderr()).isEqualTo(3);
        JsonNode tasks = new ObjectMapper().readTree(octo("tasks", "--json").stdout());
        assertThat(tasks.isArray()).isTrue();
        assertThat(tasks.get(0).get("id").asText()).isEqualTo(id);
        assertThat(tasks.get(0).get("status").asText()).isEqualTo("failed");
        JsonNode task = new ObjectMapper().readTree(octo("task", id, "--json").stdout());
        assertThat(task.get("exit").asInt()).isEqualTo(3);
        assertThat(octo("task", id).stdout()).startsWith("Task " + id + " · process · failed");
        assertThat(workingDirectory.resolve(".octo/octo.sock")).doesNotExist();
    }

    @Test
    void withNoOctoRunningATaskLeftRunningIsWaitedForByTheNextCommand() throws Exception {
        String id = octo("bg", "sleep 1; exit 0").stdout().strip();

        assertThat(octo("wait", id).exitCode()).isZero();
    }

    @Test
    void aTaskCancelledThroughARunningOctoMakesWaitExit130() throws Exception {
        try (ChildOcto server = ChildOcto.start(workingDirectory, Map.of())) {
            Eventually.await("the server's socket", REPLY,
                    () -> Files.exists(workingDirectory.resolve(".octo/octo.sock")));
            String id = octo("bg", "sleep 60").stdout().strip();
            Result cancelled = octo("task", id, "cancel");
            assertThat(cancelled.exitCode()).as(cancelled.stderr()).isZero();
            assertThat(cancelled.stdout()).isEqualTo("Cancelled task " + id + "." + System.lineSeparator());

            Result waited = octo("wait", id);

            assertThat(waited.exitCode()).as(waited.stderr()).isEqualTo(130);
        }
    }

    @Test
    void misuseAndUnknownIdsFailWithAReason() {
        Result usage = octo("wait");
        assertThat(usage.exitCode()).isEqualTo(Octo.EXIT_USAGE);
        assertThat(usage.stderr()).contains("octo wait: give one task id");

        Result unknown = octo("task", "zzzzzzzz");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).contains("No task matches 'zzzzzzzz'");
    }

    @Test
    void whileAnOctoRunsTheCommandsGoThroughItsSocketAndItsClientsHearOfTheTask() throws Exception {
        try (ChildOcto server = ChildOcto.start(workingDirectory, Map.of())) {
            Path socket = workingDirectory.resolve(".octo/octo.sock");
            Eventually.await("the server's socket", REPLY, () -> Files.exists(socket));
            try (SocketClient attached = SocketClient.connect(socket)) {
                Result bg = octo("bg", "exit 3");
                assertThat(bg.exitCode()).as(bg.stderr()).isZero();
                String id = bg.stdout().strip();

                assertThat(octo("wait", id).exitCode()).isEqualTo(3);
                // the task ran in the server: its terminal and its attached client were told
                server.awaitLine(line -> line.startsWith("Task " + id + " failed"), 0, REPLY);
                ServerMessage message;
                do {
                    message = attached.receive();
                } while (message != null && !(message.type().equals("event") && message.field("event").equals("failed")));
                assertThat(message).isNotNull();
                assertThat(message.field("id")).isEqualTo(id);
            }
            assertThat(server.ended()).isFalse();
        }
    }
}
