package dev.octo.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.adapters.telegram.fake.FakeBotApi;
import dev.octo.adapters.telegram.fake.SentMessage;
import dev.octo.adapters.telegram.fake.UserMessage;
import dev.octo.application.fakes.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application ({@code bootstrap/target/octo.jar} and its {@code lib/}) in a JVM of its
 * own, started with the flags of the {@code octo} launcher and driven through stdin the way a
 * script drives it. Run by failsafe after the package phase.
 */
class PackagedOctoIT {

    private static final Duration REPLY = Duration.ofSeconds(30);
    /** What java.util.logging writes, by default and as Octo sets it, and stack traces. */
    private static final Pattern LOG_LINE = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d|[A-Z][a-z]{2} \\d\\d?, \\d{4}).*|^(SEVERE|WARNING|INFO|FINE|CONFIG): .*"
                    + "|.*\\bat (java|dev|com)\\.[\\w.$]+\\(.*\\)$|.*Exception.*");

    private static Path jar;
    private static List<String> launcherFlags;

    @TempDir
    Path workingDirectory;

    @BeforeAll
    static void findThePackagedApplication() throws IOException {
        jar = Path.of(System.getProperty("octo.jar", "target/octo.jar")).toAbsolutePath();
        assertThat(jar).as("the packaged application; run `mvnw verify`, not `test`").isRegularFile();
        // one jar, the libraries inside: nothing beside it is needed
        try (java.util.jar.JarFile packaged = new java.util.jar.JarFile(jar.toFile())) {
            assertThat(packaged.getEntry("com/google/inject/Guice.class")).isNotNull();
            assertThat(packaged.getManifest().getMainAttributes().getValue("Class-Path")).isNull();
        }
        launcherFlags = launcherFlags(Path.of(System.getProperty("octo.launcher", "../octo")));
    }

    /** The JVM flags of the launcher script's {@code jvm=(...)} line, which its {@code exec} line passes. */
    static List<String> launcherFlags(Path launcher) throws IOException {
        List<String> lines = Files.readAllLines(launcher);
        assertThat(lines).as("the exec line of %s", launcher).anyMatch(line -> line.strip()
                .startsWith("exec \"$java_bin\" \"${jvm[@]}\""));
        String jvm = lines.stream()
                .map(String::strip)
                .filter(line -> line.startsWith("jvm=(") && line.endsWith(")"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no jvm=(...) line in " + launcher));
        // the cache flags live in an array the launcher fills with its own paths
        List<String> flags = Arrays.asList(jvm.substring("jvm=(".length(), jvm.length() - 1).split("\\s+"));
        assertThat(flags).as("flags of %s", jvm).allMatch(flag -> flag.startsWith("-") && !flag.contains("$"));
        return List.copyOf(flags);
    }

    @Test
    void theLauncherFlagsAreRead() {
        assertThat(launcherFlags).contains("-XX:+UseSerialGC");
    }

    @Test
    void versionAndHelpAnswerAndSucceed() throws Exception {
        try (ChildOcto version = ChildOcto.packaged(jar, launcherFlags, workingDirectory, Map.of(), "--version")) {
            assertThat(version.awaitExit(REPLY)).isZero();
            // the manifest of the packaged jar carries the project's version
            assertThat(version.output()).singleElement().asString().matches("octo \\d+\\.\\d+\\.\\d+\\S*");
            assertThat(version.stderr()).isEmpty();
        }
        try (ChildOcto help = ChildOcto.packaged(jar, launcherFlags, workingDirectory, Map.of(), "--help")) {
            assertThat(help.awaitExit(REPLY)).isZero();
            assertThat(String.join("\n", help.output())).isEqualTo(Octo.USAGE);
        }
    }

    @Test
    void thePackagedTelegramDaemonAnswersTheOwnerAndStopsOnSigterm() throws Exception {
        try (ChildOcto refused = ChildOcto.packaged(jar, launcherFlags, workingDirectory, Map.of(), "telegram")) {
            assertThat(refused.awaitExit(REPLY)).isEqualTo(Octo.EXIT_CONFIG);
            assertThat(refused.stderr().lines()).singleElement().asString()
                    .startsWith("octo: the Telegram-only daemon needs TELEGRAM_BOT_TOKEN and TELEGRAM_OWNER_ID");
        }
        try (FakeBotApi telegram = FakeBotApi.start("123456:packaged-daemon");
                ChildOcto daemon = ChildOcto.packaged(jar, launcherFlags, workingDirectory,
                        Map.of("TELEGRAM_BOT_TOKEN", telegram.token(), "TELEGRAM_OWNER_ID", "42",
                                "TELEGRAM_API_URL", telegram.url()), "telegram")) {
            telegram.pushMessage(UserMessage.text(42, "/bg echo from the packaged daemon"));
            Eventually.await(() -> "the completion told; the owner got " + telegram.messagesTo(42) + "; "
                    + daemon.diagnostics(), REPLY, () -> telegram.messagesTo(42).stream().map(SentMessage::text)
                    .anyMatch(text -> text.contains("completed") && text.contains("from the packaged daemon")));

            daemon.terminate();
            assertThat(daemon.awaitExit(REPLY)).isEqualTo(143); // 128 + SIGTERM, after the shutdown hooks ran
            assertThat(daemon.stderr().lines()).containsExactly(
                    "octo: the Telegram-only daemon runs; SIGTERM or Ctrl-C stops it",
                    "octo: stopped; running process tasks go on and the next start adopts them");
        }
    }

    @Test
    void aScriptDispatchesWaitsListsShowsCancelsAndEndsWithSuccessAtTheEndOfInput() throws Exception {
        String marker = "octo-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (ChildOcto octo = ChildOcto.packaged(jar, launcherFlags, workingDirectory, Map.of())) {
            String hi = octo.dispatch("echo hi");
            int mark = octo.output().size();
            octo.send("/wait");
            octo.awaitLine(line -> line.equals("All tasks are done: 1 completed."), mark, REPLY);
            octo.awaitLine(line -> line.equals("Task " + hi + " completed: echo hi"), 0, REPLY);

            mark = octo.output().size();
            octo.send("/tasks");
            octo.awaitLine(line -> line.matches("ID +TYPE +STATUS +TIME +WHAT"), mark, REPLY);
            octo.awaitLine(line -> line.matches(hi + " +process +completed +\\S+ +echo hi"), mark, REPLY);

            mark = octo.output().size();
            octo.send("/task " + hi);
            octo.awaitLine(line -> line.startsWith("Task " + hi + " · process · completed · "), mark, REPLY);
            octo.awaitLine(line -> line.matches("Command: +echo hi"), mark, REPLY);

            String sleeper = octo.dispatch("touch sleeping; sleep 60; echo " + marker);
            Eventually.await(REPLY, () -> Files.exists(workingDirectory.resolve("sleeping")));
            // the shell forks the sleep a moment after the touch has ended
            Eventually.await(REPLY, () -> Processes.withMarkerAndDescendants(marker).stream()
                    .anyMatch(p -> p.info().command().orElse("").endsWith("sleep")));
            List<ProcessHandle> processes = Processes.withMarkerAndDescendants(marker);
            mark = octo.output().size();
            octo.send("/task " + sleeper + " cancel");
            octo.awaitLine(line -> line.equals("Cancelled task " + sleeper + "."), mark, REPLY);
            Eventually.await(REPLY, () -> processes.stream().noneMatch(Processes::isRunning));

            mark = octo.output().size();
            octo.send("/task " + sleeper);
            octo.awaitLine(line -> line.startsWith("Task " + sleeper + " · process · cancelled · "), mark, REPLY);

            mark = octo.output().size();
            octo.send("/task " + hi + " log");
            octo.awaitLine(line -> line.equals("hi"), mark, REPLY);

            // refusals go to stderr, and make the exit status 1
            octo.send("/frobnicate");
            octo.send("/task zzzzzzzz");
            Eventually.await(REPLY, () -> octo.stderr().lines().count() == 2);

            octo.endInput();
            assertThat(octo.awaitExit(REPLY)).isEqualTo(1);
            assertThat(octo.stderr().lines().toList()).as("stderr").containsExactly(
                    "Unknown command /frobnicate. /help lists the commands.",
                    "No task matches 'zzzzzzzz'. /tasks lists them.");
            assertThat(octo.output()).noneMatch(line -> LOG_LINE.matcher(line).matches())
                    .noneMatch(line -> line.startsWith("Unknown command") || line.startsWith("No task matches"));

            Path tasks = workingDirectory.resolve(".octo/tasks");
            for (String file : List.of(hi + ".json", hi + ".out.log", hi + ".exit", sleeper + ".json")) {
                assertThat(tasks.resolve(file)).isRegularFile();
            }
            assertThat(workingDirectory.resolve(".octo/logs/octo.log")).isRegularFile();
        } finally {
            Processes.killAll(marker);
        }
    }

    @Test
    void aTaskNobodyWaitedForOutlivesOctoAndTheNextStartReportsHowItEnded() throws Exception {
        String id;
        try (ChildOcto first = ChildOcto.packaged(jar, launcherFlags, workingDirectory, Map.of())) {
            id = first.dispatch("touch started; sleep 3; echo late");
            Eventually.await(REPLY, () -> Files.exists(workingDirectory.resolve("started")));
            first.endInput();

            assertThat(first.awaitExit(REPLY)).isEqualTo(Octo.EXIT_OK);
            assertThat(first.stderr()).isEmpty();
        }
        Path exitFile = workingDirectory.resolve(".octo/tasks/" + id + ".exit");
        assertThat(exitFile).as("the task still runs after Octo ended").doesNotExist();

        try (ChildOcto second = ChildOcto.packaged(jar, launcherFlags, workingDirectory, Map.of())) {
            second.send("/wait " + id);
            second.awaitLine(line -> line.startsWith("Task " + id + " · process · completed · "), 0, REPLY);
            second.awaitLine(line -> line.equals("Task " + id + " completed: touch started; sleep 3; echo late"), 0,
                    REPLY);
            int mark = second.output().size();
            second.send("/task " + id);
            second.awaitLine(line -> line.equals("Result:"), mark, REPLY);
            second.awaitLine(line -> line.equals("late"), mark, REPLY);
            second.endInput();

            assertThat(second.awaitExit(REPLY)).isEqualTo(Octo.EXIT_OK);
            assertThat(second.stderr()).isEmpty();
        }
        assertThat(exitFile).isRegularFile();
    }

    @Test
    void aTaskCancelledRightBeforeTheEndOfInputDoesNotOutliveOcto() throws Exception {
        // its command ignores TERM: only the KILL that follows after a grace stops it, and Octo
        // must still be there to send it
        String marker = "octo-it-term-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (ChildOcto octo = ChildOcto.packaged(jar, launcherFlags, workingDirectory, Map.of())) {
            String id = octo.dispatch("trap '' TERM; touch started; sleep 60; echo " + marker);
            Eventually.await(REPLY, () -> Files.exists(workingDirectory.resolve("started")));
            List<ProcessHandle> processes = Processes.withMarkerAndDescendants(marker);
            assertThat(processes).isNotEmpty();

            octo.send("/task " + id + " cancel");
            octo.endInput();

            assertThat(octo.awaitExit(REPLY)).isEqualTo(Octo.EXIT_OK);
            assertThat(octo.output()).contains("Cancelled task " + id + ".");
            assertThat(processes).noneMatch(Processes::isRunning);
        } finally {
            Processes.killAll(marker);
        }
    }

    @Test
    void aBadValueStopsItWithOneLineAndANonZeroExitCode() throws Exception {
        try (ChildOcto octo = ChildOcto.packaged(jar, launcherFlags, workingDirectory,
                Map.of("BG_MAX_CONCURRENT", "0"))) {
            octo.send("/bg touch never");
            octo.endInput();

            assertThat(octo.awaitExit(REPLY)).isNotZero().isEqualTo(Octo.EXIT_CONFIG);
            assertThat(octo.output()).isEmpty();
            assertThat(octo.stderr().lines().toList()).singleElement().asString()
                    .isEqualTo("octo: BG_MAX_CONCURRENT=0 is not allowed: it must be a whole number from 1 to 2147483647");
        }
        assertThat(workingDirectory.resolve("never")).doesNotExist();
        assertThat(workingDirectory.resolve(".octo")).doesNotExist();
    }

    @Test
    void anOctoDirThatCannotBeCreatedStopsItWithOneLineAndNoTrace() throws Exception {
        Files.writeString(workingDirectory.resolve("a-file"), "not a folder");
        try (ChildOcto octo = ChildOcto.packaged(jar, launcherFlags, workingDirectory,
                Map.of("OCTO_DIR", "a-file/octo"))) {
            octo.send("/bg touch never");
            octo.endInput();

            assertThat(octo.awaitExit(REPLY)).isEqualTo(Octo.EXIT_CONFIG);
            assertThat(octo.output()).isEmpty();
            assertThat(octo.stderr().lines().toList()).singleElement().asString()
                    .startsWith("octo: OCTO_DIR=" + workingDirectory.toRealPath().resolve("a-file/octo")
                            + " cannot be used: it does not exist and cannot be created (");
        }
        assertThat(workingDirectory.resolve("never")).doesNotExist();
    }
}
