package dev.octo.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.octo.application.fakes.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application as the launcher starts it, several at once on one state folder: the
 * first serves its socket, the others attach to it or run one command for a script. Run by
 * failsafe after the package phase.
 */
class AttachedOctoIT {

    private static final Duration REPLY = Duration.ofSeconds(60);

    private static Path jar;
    private static List<String> launcherFlags;

    @TempDir
    Path workingDirectory;

    @BeforeAll
    static void findThePackagedApplication() throws IOException {
        jar = Path.of(System.getProperty("octo.jar", "target/octo.jar")).toAbsolutePath();
        assertThat(jar).as("the packaged application; run `mvnw verify`, not `test`").isRegularFile();
        launcherFlags = PackagedOctoIT.launcherFlags(Path.of(System.getProperty("octo.launcher", "../octo")));
    }

    private ChildOcto octo(String... args) throws IOException {
        return ChildOcto.packaged(jar, launcherFlags, workingDirectory, Map.of(), args);
    }

    private ChildOcto serving() throws IOException, InterruptedException {
        ChildOcto server = octo();
        server.send("/tasks");
        // once it answers, it holds the lock
        server.awaitLine(line -> line.startsWith("No tasks yet.") || line.startsWith("ID "), 0, REPLY);
        Eventually.await("the socket", REPLY, () -> Files.exists(workingDirectory.resolve(".octo/octo.sock")));
        return server;
    }

    @Test
    void twoAttachedTerminalsHearOfATaskOneOfThemStartedAndAKilledClientStopsNothing() throws Exception {
        try (ChildOcto server = serving(); ChildOcto one = octo(); ChildOcto two = octo()) {
            two.send("/tasks");
            two.awaitLine(line -> line.startsWith("No tasks yet."), 0, REPLY);

            String id = one.dispatch("echo attached");

            for (ChildOcto terminal : List.of(server, one, two)) {
                terminal.awaitLine(line -> line.equals("Task " + id + " completed: echo attached"), 0, REPLY);
            }

            two.kill();
            one.send("/tasks");
            one.awaitLine(line -> line.matches(id + " +process +completed .*"), 0, REPLY);
            assertThat(server.ended()).isFalse();

            // the terminal that owns the engine leaves: the attached one says so in one line and fails
            server.endInput();
            assertThat(server.awaitExit(REPLY)).isZero();
            assertThat(one.awaitExit(REPLY)).isEqualTo(1);
            assertThat(one.stderr().lines().toList()).containsExactly(
                    "octo: the Octo serving " + workingDirectory.toRealPath().resolve(".octo") + " went away");
        }
    }

    @Test
    void anAttachedTerminalThatLeavesSaysNothingOfTheServingOctoAndSucceeds() throws Exception {
        try (ChildOcto server = serving()) {
            // the serving Octo closes the connection once it has answered /exit, and the end of input
            // closes it from this side: neither is news of the serving Octo
            for (int round = 0; round < 3; round++) {
                try (ChildOcto byExit = octo(); ChildOcto byEndOfInput = octo()) {
                    byExit.send("/exit");
                    byEndOfInput.send("/tasks");
                    byEndOfInput.awaitLine(line -> line.startsWith("No tasks yet."), 0, REPLY);
                    byEndOfInput.endInput();

                    for (ChildOcto attached : List.of(byExit, byEndOfInput)) {
                        assertThat(attached.awaitExit(REPLY)).as(attached.diagnostics()).isZero();
                        assertThat(attached.stderr()).isEmpty();
                    }
                }
            }
            assertThat(server.ended()).isFalse();
        }
    }

    @Test
    void aScriptsBgAndWaitGiveTheIdAndTheTasksExitCodeWithAndWithoutARunningOcto() throws Exception {
        String alone = oneShot(0, "bg", "exit 3").strip();
        assertThat(alone).matches("[a-z0-9]{8}");
        oneShot(3, "wait", alone);

        try (ChildOcto server = serving()) {
            String id = oneShot(0, "bg", "exit 4").strip();
            oneShot(4, "wait", id);
            JsonNode tasks = new ObjectMapper().readTree(oneShot(0, "tasks", "--json"));
            assertThat(tasks.findValuesAsText("id")).containsExactlyInAnyOrder(id, alone);
            server.awaitLine(line -> line.startsWith("Task " + id + " failed"), 0, REPLY);
        }
    }

    private String oneShot(int exitCode, String... args) throws Exception {
        try (ChildOcto command = octo(args)) {
            assertThat(command.awaitExit(REPLY)).as(command.diagnostics()).isEqualTo(exitCode);
            return String.join("\n", command.output());
        }
    }
}
