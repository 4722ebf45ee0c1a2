package dev.octo.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.adapters.persistence.JsonFileConversationStore;
import dev.octo.adapters.persistence.JsonFileTaskStore;
import dev.octo.adapters.persistence.InstanceLock;
import dev.octo.application.fakes.Eventually;
import dev.octo.domain.AgentSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.Transition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.LogManager;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Octo#run} in this JVM: arguments, configuration errors, a script on stdin, the lock. */
class OctoEntryPointTest {

    /** What java.util.logging's SimpleFormatter writes, by default and as Octo sets it. */
    private static final Pattern LOG_LINE = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d|[A-Z][a-z]{2} \\d\\d?, \\d{4}).*|^(SEVERE|WARNING|INFO|FINE|CONFIG): .*"
                    + "|.*\\bat (java|dev|com)\\.[\\w.$]+\\(.*\\)$|.*Exception.*");

    @TempDir
    Path workingDirectory;

    /**
     * Process tasks outlive the Octo that started them; the folder can be removed only once none
     * of them writes into it any more. One still running after a while is stopped.
     */
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

        List<String> stderrLines() {
            return stderr.lines().toList();
        }
    }

    private Result run(Map<String, String> environment, String stdin, String... args) {
        return runIn(workingDirectory, environment, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                args);
    }

    private static Result runIn(Path workingDirectory, Map<String, String> environment, InputStream stdin,
            String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Octo.run(args, environment, workingDirectory, stdin, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Nested
    class Arguments {

        @ParameterizedTest
        @ValueSource(strings = {"--help", "-h"})
        void helpPrintsTheUsageAndSucceeds(String flag) {
            Result result = run(Map.of(), "", flag);

            assertThat(result.exitCode()).isZero();
            assertThat(result.stdout()).isEqualTo(Octo.USAGE + System.lineSeparator());
            assertThat(result.stderr()).isEmpty();
        }

        @Test
        void helpNeedsNoUsableConfiguration() {
            Result result = run(Map.of("BG_MAX_CONCURRENT", "0"), "", "--help");

            assertThat(result.exitCode()).isZero();
            assertThat(result.stdout()).startsWith("Usage: octo");
        }

        @Test
        void versionPrintsTheVersionAndSucceeds() {
            Result result = run(Map.of(), "", "--version");

            assertThat(result.exitCode()).isZero();
            // classes outside the packaged jar have no Implementation-Version in a manifest
            assertThat(result.stdout()).isEqualTo("octo development build" + System.lineSeparator());
            assertThat(result.stderr()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"--frobnicate", "jobs", "telegram --now"})
        void anUnknownArgumentIsAUsageErrorOnStderr(String arguments) {
            Result result = run(Map.of(), "", arguments.split(" "));

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_USAGE).isEqualTo(2);
            assertThat(result.stdout()).isEmpty();
            assertThat(result.stderrLines()).first().isEqualTo("octo: unknown arguments " + arguments);
            assertThat(result.stderr()).contains(Octo.USAGE);
            assertThat(workingDirectory.resolve(".octo")).doesNotExist();
        }

        @Test
        void theTelegramDaemonRefusesToStartWithoutItsTokenAndOwner() {
            Result result = run(Map.of("TELEGRAM_OWNER_ID", "42"), "", "telegram");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_CONFIG);
            assertThat(result.stdout()).isEmpty();
            assertThat(result.stderrLines()).singleElement().asString()
                    .isEqualTo("octo: the Telegram-only daemon needs TELEGRAM_BOT_TOKEN and TELEGRAM_OWNER_ID"
                            + " (in the environment or .env)");
            assertThat(workingDirectory.resolve(".octo")).doesNotExist();
        }

        @Test
        void aBotTokenWithoutItsOwnerStopsEitherEntryPointInOneLine() {
            for (String[] args : List.of(new String[] {"telegram"}, new String[0])) {
                Result result = run(Map.of("TELEGRAM_BOT_TOKEN", "123456:abc"), "/tasks\n", args);

                assertThat(result.exitCode()).isEqualTo(Octo.EXIT_CONFIG);
                assertThat(result.stderrLines()).singleElement().asString()
                        .startsWith("octo: TELEGRAM_BOT_TOKEN is set but TELEGRAM_OWNER_ID is not");
            }
        }
    }

    @Nested
    class BadConfiguration {

        @ParameterizedTest(name = "{0}={1}")
        @CsvSource({
                "BG_MAX_CONCURRENT, abc",
                "BG_MAX_CONCURRENT, 0",
                "BG_MAX_CONCURRENT, -1",
                "BG_MAX_CONCURRENT, 1.5",
                "CLAUDE_CODE_TIMEOUT, abc",
                "CLAUDE_CODE_TIMEOUT, 0",
                "TELEGRAM_OWNER_ID, abc"})
        void aBadValueStopsTheStartWithOneLineNamingTheVariable(String name, String value) {
            Result result = run(Map.of(name, value), "/bg touch should-not-run\n");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_CONFIG);
            assertThat(result.stdout()).isEmpty();
            assertThat(result.stderrLines()).singleElement().asString()
                    .startsWith("octo: " + name + "=" + value + " is not allowed: it must be ");
            assertThat(workingDirectory.resolve(".octo")).doesNotExist();
            assertThat(workingDirectory.resolve("should-not-run")).doesNotExist();
        }

        @Test
        void aBadValueInDotEnvStopsTheStartTheSameWay() throws IOException {
            Files.writeString(workingDirectory.resolve(".env"), "BG_MAX_CONCURRENT=abc\n");

            Result result = run(Map.of(), "");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_CONFIG);
            assertThat(result.stderrLines()).singleElement().asString().startsWith("octo: BG_MAX_CONCURRENT=abc ");
        }

        @Test
        void aMalformedDotEnvStopsTheStartWithOneLine() throws IOException {
            Files.writeString(workingDirectory.resolve(".env"), "BG_MAX_CONCURRENT=2\nthis is not a setting\n");

            Result result = run(Map.of(), "");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_CONFIG);
            assertThat(result.stderrLines()).singleElement().asString()
                    .contains(".env").contains("this is not a setting");
        }

        @Test
        void anOctoDirUnderAFileStopsTheStartWithOneLineNamingTheVariable() throws IOException {
            Files.writeString(workingDirectory.resolve("a-file"), "not a folder");

            Result result = run(Map.of("OCTO_DIR", "a-file/octo"), "/bg touch should-not-run\n");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_CONFIG);
            assertThat(result.stdout()).isEmpty();
            assertThat(result.stderrLines()).singleElement().asString()
                    .startsWith("octo: OCTO_DIR=" + workingDirectory.resolve("a-file/octo")
                            + " cannot be used: it does not exist and cannot be created (")
                    .doesNotContain("octo.log");
            assertThat(workingDirectory.resolve("should-not-run")).doesNotExist();
        }

        @Test
        void anOctoDirThatIsAFileStopsTheStartWithOneLineNamingTheVariable() throws IOException {
            Files.writeString(workingDirectory.resolve("a-file"), "not a folder");

            Result result = run(Map.of("OCTO_DIR", "a-file"), "");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_CONFIG);
            assertThat(result.stderrLines()).singleElement().asString()
                    .isEqualTo("octo: OCTO_DIR=" + workingDirectory.resolve("a-file") + " cannot be used: it is a file,"
                            + " not a folder");
        }

        @Test
        void anErrorBeforeTheLogIsOpenIsOneLineWithNothingOnTheTerminalAndNoLogNamed() throws IOException {
            // the lock file cannot be opened
            Files.createDirectories(workingDirectory.resolve(".octo/octo.lock"));
            PrintStream terminal = System.err;
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            Result result;
            System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try {
                // as in a fresh JVM: the JDK's console handler, on System.err, on the root logger
                LogManager.getLogManager().readConfiguration();

                result = run(Map.of(), "/tasks\n");
            } finally {
                LogManager.getLogManager().reset();
                System.setErr(terminal);
            }

            assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderrLines()).singleElement().asString()
                    .startsWith("octo: stopped on an error: ")
                    .contains("octo.lock")
                    .doesNotContain("details in");
            assertThat(workingDirectory.resolve(".octo/logs/octo.log")).doesNotExist();
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                gpt       | OCTO_LLM_PROVIDER=gpt is not a provider: set it to anthropic, openai or ollama
                anthropic | OCTO_LLM_PROVIDER=anthropic needs ANTHROPIC_API_KEY: set it in the environment or in .env
                """)
        void llmSettingsThatCannotWorkLeaveTheRestWorkingAndFreeTextSaysWhatToSet(String provider, String reason) {
            Result result = run(Map.of("OCTO_LLM_PROVIDER", provider), "/bg touch made\n/wait\nplease run the tests\n");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_REFUSED);
            assertThat(workingDirectory.resolve("made")).exists();
            assertThat(result.stdout()).contains("All tasks are done: 1 completed.");
            assertThat(result.stderrLines()).singleElement().asString().contains(reason);
        }

        @Test
        void theTelegramDaemonChecksTheConfigurationFirst() {
            Result result = run(Map.of("TELEGRAM_OWNER_ID", "me"), "", "telegram");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_CONFIG);
            assertThat(result.stderrLines()).singleElement().asString().startsWith("octo: TELEGRAM_OWNER_ID=me ");
        }
    }

    @Nested
    class AScriptOnStdin {

        @Test
        void whatTheStartMovedAsideIsReportedOnStderrWithItsControlCharactersMadeVisible() throws IOException {
            Path tasks = workingDirectory.resolve(".octo/tasks");
            Files.createDirectories(tasks);
            Files.writeString(tasks.resolve("evil\u001b[2J.json"), "{}");

            Result result = run(Map.of(), "/tasks\n");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_OK);
            assertThat(result.stdout()).isEqualTo("No tasks yet. /bg <command> starts one." + System.lineSeparator());
            assertThat(result.stderrLines()).singleElement().asString().startsWith("octo: ").contains("evil")
                    .doesNotContain("\u001b");
        }

        @Test
        void everyCommandGetsItsReplyInOrderWithRepliesAndNotificationsOnStdoutAndRefusalsOnStderr()
                throws Exception {
            List<String> stdout;
            List<String> stderr;
            String id;
            try (InProcessOcto octo = InProcessOcto.start(workingDirectory, Map.of())) {
                id = octo.dispatch("echo hi");
                octo.send("/wait");
                octo.send("/tasks");
                octo.send("/task " + id.substring(0, 3));
                octo.send("/task " + id + " log");
                octo.send("/task " + id + " cancel");
                octo.send("/nonsense");
                octo.send("/task zzzzzzzz");
                octo.endInput();

                assertThat(octo.awaitExit(Duration.ofSeconds(30))).isEqualTo(Octo.EXIT_REFUSED).isEqualTo(1);
                stdout = octo.stdout();
                stderr = octo.stderr();
            }

            // the completion notice comes from its own thread: anywhere after the dispatch
            List<String> notice = List.of("Task " + id + " completed: echo hi", "  hi");
            assertThat(stdout).containsSubsequence(notice);
            assertThat(stdout.indexOf(notice.get(0))).isGreaterThan(0);
            List<String> replies = new ArrayList<>(stdout);
            int at = replies.indexOf(notice.get(0));
            replies.subList(at, at + 2).clear();

            assertInOrder(replies,
                    "Dispatched task " + id + ": echo hi",
                    "All tasks are done: 1 completed\\.",
                    "ID +TYPE +STATUS +TIME +WHAT",
                    id + " +process +completed +\\S+ +echo hi",
                    "Task " + id + " · process · completed · .*",
                    "Command: +echo hi",
                    "Created: +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d",
                    "Started: +.*",
                    "Finished: +.*",
                    "Result:",
                    "hi",
                    "hi");
            assertThat(stdout).noneMatch(line -> line.startsWith("Cannot") || line.startsWith("Unknown")
                    || line.startsWith("No task"));
            assertThat(stdout).noneMatch(line -> LOG_LINE.matcher(line).matches());
            assertInOrder(stderr,
                    "Cannot cancel task " + id + " \\(completed\\): .*",
                    "Unknown command /nonsense\\. /help lists the commands\\.",
                    "No task matches 'zzzzzzzz'\\. /tasks lists them\\.");
            assertThat(stderr).hasSize(3);

            Path tasks = workingDirectory.resolve(".octo/tasks");
            assertThat(tasks.resolve(id + ".json")).isRegularFile();
            assertThat(tasks.resolve(id + ".out.log")).hasContent("hi");
            assertThat(tasks.resolve(id + ".exit")).isRegularFile();
            assertThat(Files.readString(tasks.resolve(id + ".exit")).strip()).isEqualTo("0");
            assertThat(workingDirectory.resolve(".octo/logs/octo.log")).isRegularFile();
        }

        @Test
        void aTaskCancelledRightBeforeTheEndOfInputIsStoppedBeforeOctoReturns() throws Exception {
            // its command ignores TERM, so only the KILL that follows after a grace stops it
            String marker = "octo-ignores-term-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            List<ProcessHandle> processes;
            try (InProcessOcto octo = InProcessOcto.start(workingDirectory, Map.of())) {
                String id = octo.dispatch("trap '' TERM; touch started; sleep 60; echo " + marker);
                // the shell forks sleep a moment after touch: under load the file comes first
                Eventually.await(Duration.ofSeconds(20), () -> Processes.withMarkerAndDescendants(marker).stream()
                        .anyMatch(p -> p.info().command().orElse("").endsWith("sleep")));
                processes = Processes.withMarkerAndDescendants(marker);

                octo.send("/task " + id + " cancel");
                octo.endInput();

                assertThat(octo.awaitExit(Duration.ofSeconds(30))).isEqualTo(Octo.EXIT_OK);
                assertThat(octo.stdout()).contains("Cancelled task " + id + ".");
                assertThat(processes).noneMatch(Processes::isRunning);
            } finally {
                Processes.killAll(marker);
            }
        }

        @Test
        void aCancelIsAnsweredWithOneLine() throws Exception {
            List<String> stdout;
            String id;
            try (InProcessOcto octo = InProcessOcto.start(workingDirectory, Map.of())) {
                id = octo.dispatch("sleep 30");
                octo.send("/task " + id + " cancel");
                octo.endInput();

                assertThat(octo.awaitExit(Duration.ofSeconds(30))).isEqualTo(Octo.EXIT_OK);
                // Octo delivers the notifications still queued before it returns
                stdout = octo.stdout();
            }

            assertThat(stdout.stream().filter(line -> line.contains(id)))
                    .containsExactly("Dispatched task " + id + ": sleep 30", "Cancelled task " + id + ".");
        }

        @Test
        void aScriptWithoutARefusalEndsWithZeroAndOneWithARefusalWithOne() {
            Result accepted = run(Map.of(), "/tasks\n/help\n");
            Result refused = run(Map.of(), "/tasks\n/task zzzzzzzz\n/help\n");

            assertThat(accepted.exitCode()).isZero();
            assertThat(accepted.stderr()).isEmpty();
            assertThat(refused.exitCode()).isEqualTo(Octo.EXIT_REFUSED).isEqualTo(1);
            assertThat(refused.stderrLines()).containsExactly("No task matches 'zzzzzzzz'. /tasks lists them.");
            assertThat(refused.stdout()).contains("No tasks yet.").contains("Commands:");
        }

        @Test
        void exitWithMoreAfterItIsRefusedWithItsUsageAndDoesNotLeave() {
            Result result = run(Map.of(), "/exit now\n/tasks\n");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_REFUSED);
            assertThat(result.stderrLines()).containsExactly("Usage: /exit");
            assertThat(result.stdout()).isEqualTo("No tasks yet. /bg <command> starts one." + System.lineSeparator());
        }

        @Test
        void whatTheStartFoundIsPrintedBeforeTheAnswerToTheFirstCommand() throws Exception {
            Path tasks = workingDirectory.resolve(".octo/tasks");
            Path go = workingDirectory.resolve("go");
            // in a JVM of its own, which is gone before its tasks end, as a terminal closed under it
            try (ChildOcto first = ChildOcto.start(workingDirectory, Map.of("BG_MAX_CONCURRENT", "20"))) {
                for (int i = 1; i <= 20; i++) {
                    first.send("/bg touch started-" + i + "; while [ ! -e '" + go + "' ]; do sleep 0.05; done;"
                            + " echo ended-" + i);
                }
                Eventually.await(Duration.ofSeconds(30), () -> startedFiles() == 20);
                first.endInput();
                assertThat(first.awaitExit(Duration.ofSeconds(60))).isZero();
            }
            // only now may the tasks end: the next start finds every one of them ended
            Files.createFile(go);
            Eventually.await(Duration.ofSeconds(30), () -> exitFiles(tasks) == 20);

            Result second = run(Map.of(), "/help\n");

            List<String> lines = second.stdout().lines().toList();
            assertThat(lines.stream().filter(line -> line.matches("Task [a-z0-9]{8} completed: .*"))).hasSize(20);
            int lastNotice = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).matches("Task [a-z0-9]{8} completed: .*")) {
                    lastNotice = i;
                }
            }
            assertThat(lines.indexOf("Commands:")).as(second.stdout()).isGreaterThan(lastNotice);
        }

        @Test
        void aTaskCancelledAtTheEndOfAScriptHandsItsWorkerToNoWaitingTask() throws Exception {
            Path ran = workingDirectory.resolve("ran");
            try (InProcessOcto octo = InProcessOcto.start(workingDirectory, Map.of("BG_MAX_CONCURRENT", "1"))) {
                String running = octo.dispatch("sleep 300");
                String waiting = octo.dispatch("touch " + ran + "; sleep 303");
                octo.send("/task " + running + " cancel");
                octo.endInput();

                assertThat(octo.awaitExit(Duration.ofSeconds(30))).isEqualTo(Octo.EXIT_OK);
                assertThat(octo.stdout()).contains("Cancelled task " + running + ".");
                // a waiting task started in the freed worker would show within moments
                assertThat(Eventually.staysFalse(Duration.ofSeconds(2), () -> Files.exists(ran))).isTrue();
                assertThat(Files.readString(workingDirectory.resolve(".octo/tasks/" + waiting + ".json")))
                        .contains("\"dispatched\"");
            }
        }

        @Test
        void theEndOfInputEndsOctoWithSuccessEvenWithNothingToDo() {
            Result result = run(Map.of(), "");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_OK);
            assertThat(result.stdout()).isEmpty();
            assertThat(result.stderr()).isEmpty();
        }

        @Test
        void exitEndsOctoBeforeTheRestOfTheInput() {
            Result result = run(Map.of(), "/tasks\n/exit\n/bg touch never\n");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_OK);
            assertThat(result.stdout()).isEqualTo("No tasks yet. /bg <command> starts one." + System.lineSeparator());
            assertThat(workingDirectory.resolve("never")).doesNotExist();
        }

        @Test
        void aFailingCommandIsReportedWithItsExitCode() {
            Result result = run(Map.of(), "/bg echo oops >&2; exit 4\n/wait\n");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_OK);
            assertThat(result.stdout()).contains("failed: echo oops >&2; exit 4").contains("Exit code 4")
                    .contains("All tasks are done: 1 failed.");
        }

        @Test
        void cleanRemovesTheFinishedTasksWithTheirLogsExitFilesAndConversations() throws IOException {
            Path tasks = workingDirectory.resolve(".octo/tasks");
            // an agent task that an earlier Octo finished, with the conversation its agent kept
            Instant earlier = Instant.now().minus(Duration.ofDays(1));
            Task agentTask = Task.dispatch(TaskId.of("agnt0001"), AgentSpec.of("write notes", workingDirectory), earlier);
            Task running = ((Transition.Applied) agentTask.start(earlier.plusSeconds(1))).task();
            new JsonFileTaskStore(tasks).save(((Transition.Applied) running.complete("noted", earlier.plusSeconds(9))).task());
            new JsonFileConversationStore(tasks).save(agentTask.id(), "[turns]");

            Result result = run(Map.of(), "/bg echo hi\n/wait\n/clean\n/tasks\n");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_OK);
            assertThat(result.stdout()).contains("Removed 2 finished tasks.").contains("No tasks yet.");
            try (Stream<Path> left = Files.list(tasks)) {
                assertThat(left).as("what is left in the task folder").isEmpty();
            }
        }

        @Test
        void aFailedCommandsNotificationEndsWithWhatItWroteToStderr() {
            Result result = run(Map.of(), "/bg nosuch-octo-command\n/wait\n");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_OK);
            List<String> lines = result.stdout().lines().toList();
            assertInOrder(lines, "Task [a-z0-9]{8} failed: nosuch-octo-command", "  Exit code 127",
                    "  /bin/sh: .*nosuch-octo-command: .*not found");
        }

        @Test
        void aTaskShowsItsPidWhileItRunsAndItsExitCodeAndLogFilesOnceItEnded() throws Exception {
            Path go = workingDirectory.resolve("go");
            List<String> stdout;
            String id;
            long pid;
            try (InProcessOcto octo = InProcessOcto.start(workingDirectory, Map.of())) {
                id = octo.dispatch("while [ ! -e '" + go + "' ]; do sleep 0.05; done; exit 5");
                // the pid is recorded a moment after the start: ask until it is shown
                Optional<String> pidLine = Optional.empty();
                for (int attempt = 0; attempt < 100 && pidLine.isEmpty(); attempt++) {
                    int mark = octo.output().size();
                    octo.send("/task " + id);
                    octo.awaitLine(line -> line.startsWith("Logs:"), mark, Duration.ofSeconds(30));
                    pidLine = octo.output().subList(mark, octo.output().size()).stream()
                            .filter(line -> line.startsWith("Pid:")).findFirst();
                }
                pid = Long.parseLong(pidLine.orElseThrow().substring("Pid:".length()).strip());
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

                Files.createFile(go);
                octo.send("/wait " + id);
                octo.send("/task " + id);
                octo.endInput();
                assertThat(octo.awaitExit(Duration.ofSeconds(30))).isEqualTo(Octo.EXIT_OK);
                stdout = octo.stdout();
            }

            Path tasks = workingDirectory.resolve(".octo/tasks").toAbsolutePath();
            assertInOrder(stdout,
                    "Task " + id + " · process · running · .*",
                    "Pid: +" + pid,
                    "Logs: +" + Pattern.quote(tasks.resolve(id + ".out.log").toString()),
                    " +" + Pattern.quote(tasks.resolve(id + ".err.log").toString()),
                    "Task " + id + " · process · failed · .*",
                    "Exit code 5",
                    "Task " + id + " · process · failed · .*",
                    "Exit: +code 5",
                    "Logs: +" + Pattern.quote(tasks.resolve(id + ".out.log").toString()));
            int lastReply = stdout.lastIndexOf(stdout.stream().filter(line -> line.startsWith("Task " + id + " · process · failed"))
                    .reduce((first, second) -> second).orElseThrow());
            assertThat(stdout.subList(lastReply, stdout.size())).noneMatch(line -> line.startsWith("Pid:"));
        }

        @Test
        void followingATaskShowsItsOutputAsItComesAndThenHowItEnded() throws Exception {
            Path go = workingDirectory.resolve("go");
            List<String> stdout;
            String id;
            try (InProcessOcto octo = InProcessOcto.start(workingDirectory, Map.of())) {
                id = octo.dispatch("echo first; while [ ! -e '" + go + "' ]; do sleep 0.05; done; "
                        + "echo second; echo oops >&2; exit 3");
                Path stdoutLog = workingDirectory.resolve(".octo/tasks/" + id + ".out.log");
                Eventually.await(Duration.ofSeconds(20), () -> readable(stdoutLog).equals("first\n"));
                octo.send("/task " + id + " log -f");
                octo.awaitLine(line -> line.startsWith("Following task " + id), 0, Duration.ofSeconds(30));

                // written only now: it can reach the screen only by being followed
                Files.createFile(go);
                octo.awaitLine(line -> line.startsWith("Task " + id + " · process · failed"), 0, Duration.ofSeconds(30));
                octo.endInput();
                assertThat(octo.awaitExit(Duration.ofSeconds(30))).isEqualTo(Octo.EXIT_OK);
                stdout = octo.stdout();
            }

            Path tasks = workingDirectory.resolve(".octo/tasks").toAbsolutePath();
            assertInOrder(stdout,
                    "stdout:",
                    "first",
                    "Following task " + id + " until it ends \\(Ctrl-C stops following; the task goes on\\)\\.",
                    "Whole log: " + Pattern.quote(tasks.resolve(id + ".out.log") + " and " + tasks.resolve(id + ".err.log")),
                    "stdout:",
                    "second",
                    "stderr:",
                    "oops",
                    "Task " + id + " · process · failed · .*",
                    "Exit code 3");
        }

        @Test
        void theStateFolderFollowsOctoDir() {
            Result result = run(Map.of("OCTO_DIR", "elsewhere"), "/bg true\n/wait\n");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_OK);
            assertThat(workingDirectory.resolve("elsewhere/tasks")).isDirectoryContaining("glob:**.json");
            assertThat(workingDirectory.resolve("elsewhere/logs/octo.log")).isRegularFile();
            assertThat(workingDirectory.resolve(".octo")).doesNotExist();
        }
    }

    @Nested
    class InOneJvm {

        @RepeatedTest(3)
        void octoRunsAgainAndAgainOnTheSameFolderAndFindsWhatTheLastRunLeft(
                org.junit.jupiter.api.RepetitionInfo repetition) {
            for (int i = 1; i <= repetition.getCurrentRepetition(); i++) {
                Result result = run(Map.of(), "/bg echo run " + i + "\n/wait\n/tasks\n");

                assertThat(result.exitCode()).isEqualTo(Octo.EXIT_OK);
                assertThat(result.stderr()).isEmpty();
                // the tally is this run's; the list holds what every earlier run left too
                assertThat(result.stdout()).contains("All tasks are done: 1 completed.");
                for (int run = 1; run <= i; run++) {
                    assertThat(result.stdout()).containsPattern("completed +\\S+ +echo run " + run + "\n");
                }
            }
        }

        @Test
        void eachRunLogsToItsOwnStateFolder(@TempDir Path other) throws Exception {
            // a timeout is logged at INFO: something of each run must reach that run's log file
            Result first = run(Map.of(), "/bg --timeout 1 sleep 30\n/wait\n");
            Result second = runIn(other, Map.of(), new ByteArrayInputStream(
                    "/bg --timeout 1 sleep 31\n/wait\n".getBytes(StandardCharsets.UTF_8)));

            assertThat(first.exitCode()).isZero();
            assertThat(second.exitCode()).isZero();
            String firstLog = Files.readString(workingDirectory.resolve(".octo/logs/octo.log"));
            String secondLog = Files.readString(other.resolve(".octo/logs/octo.log"));
            assertThat(firstLog).contains("timed out");
            assertThat(secondLog).contains("timed out");
            assertThat(firstLog.lines().filter(line -> line.contains("timed out")).count()).isEqualTo(1);
            assertThat(secondLog.lines().filter(line -> line.contains("timed out")).count()).isEqualTo(1);
        }

        @Test
        void aRunThatEndsNormallyStopsItsEnginesThreads() throws Exception {
            long before = engineThreads();

            Result result = run(Map.of(), "/bg --timeout 30 true\n/wait\n");

            assertThat(result.exitCode()).isEqualTo(Octo.EXIT_OK);
            awaitEngineThreads(before);
        }

        @Test
        void aRunThatStopsOnAnErrorSaysWhereTheDetailsAreAndStopsItsEnginesThreads() throws Exception {
            long before = engineThreads();
            InputStream brokenStdin = new InputStream() {
                private final byte[] first = "/bg --timeout 30 true\n".getBytes(StandardCharsets.UTF_8);
                private int sent;

                @Override
                public int read() throws IOException {
                    if (sent < first.length) {
                        return first[sent++];
                    }
                    throw new IOException("the terminal went away");
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    if (sent >= first.length) {
                        throw new IOException("the terminal went away");
                    }
                    int n = Math.min(length, first.length - sent);
                    System.arraycopy(first, sent, buffer, offset, n);
                    sent += n;
                    return n;
                }
            };

            Result result = runIn(workingDirectory, Map.of(), brokenStdin);

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderrLines()).singleElement().asString()
                    .startsWith("octo: stopped on an error: java.io.IOException: the terminal went away")
                    .contains(workingDirectory.resolve(".octo/logs/octo.log").toString());
            assertThat(Files.readString(workingDirectory.resolve(".octo/logs/octo.log")))
                    .contains("Octo stopped on an error").contains("the terminal went away");
            awaitEngineThreads(before);
            // the task's command runs on and ends after the run returned, writing its exit status and
            // then its end into the task folder: the folder is removed only once that is over
            Path tasks = workingDirectory.resolve(".octo/tasks");
            Eventually.await(Duration.ofSeconds(30), () -> taskFilesSay(tasks, "\"completed\""));
        }
    }

    @Nested
    class TheInstanceLock {

        @Test
        void aSecondOctoOnTheSameFolderAttachesAndItsCommandsRunInTheFirst() throws Exception {
            try (InProcessOcto first = InProcessOcto.start(workingDirectory, Map.of())) {
                first.send("/tasks");
                // once it answers, it holds the lock and serves its socket
                first.awaitLine(line -> line.startsWith("No tasks yet."), 0, Duration.ofSeconds(30));

                Result second = run(Map.of(), "/bg touch from-the-second\n/wait\n");

                assertThat(second.exitCode()).as(second.stderr()).isEqualTo(Octo.EXIT_OK);
                assertThat(second.stdout()).contains("Dispatched task").contains("All tasks are done: 1 completed.");
                assertThat(workingDirectory.resolve("from-the-second")).exists();
                // the first one's terminal hears of the task the second one started
                first.awaitLine(line -> line.matches("Task \\w+ completed: touch from-the-second"), 0,
                        Duration.ofSeconds(30));

                first.send("/bg echo still here");
                first.send("/wait");
                first.awaitLine(line -> line.startsWith("All tasks are done: 2 completed."), 0, Duration.ofSeconds(30));
                first.endInput();
                assertThat(first.awaitExit(Duration.ofSeconds(30))).isEqualTo(Octo.EXIT_OK);
            }

            Result third = run(Map.of(), "/tasks\n");
            assertThat(third.exitCode()).as("the lock is free once the first has ended").isEqualTo(Octo.EXIT_OK);
            assertThat(third.stdout()).contains("echo still here");
            assertThat(workingDirectory.resolve(".octo/octo.sock")).as("removed by the first on leaving").doesNotExist();
        }

        @Test
        void aSecondOctoIsRefusedWithThePidOfTheFirstWhenNothingAnswersOnItsSocket() throws Exception {
            Files.createDirectories(workingDirectory.resolve(".octo"));
            // a socket file left by a crashed instance, and a holder of the lock that does not serve
            Files.writeString(workingDirectory.resolve(".octo/octo.sock"), "");
            try (InstanceLock lock = InstanceLock.acquire(workingDirectory.resolve(".octo"))) {
                Result second = run(Map.of(), "/bg touch from-the-second\n");

                assertThat(second.exitCode()).isEqualTo(Octo.EXIT_LOCKED);
                assertThat(second.stdout()).isEmpty();
                assertThat(second.stderrLines()).singleElement().asString()
                        .startsWith("octo: Another Octo (pid " + ProcessHandle.current().pid() + ")")
                        .contains(workingDirectory.resolve(".octo").toString())
                        .contains("OCTO_DIR");
                assertThat(workingDirectory.resolve("from-the-second")).doesNotExist();
            }
        }
    }

    private long startedFiles() {
        try (var files = Files.list(workingDirectory)) {
            return files.filter(file -> file.getFileName().toString().startsWith("started-")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Whether some task file in {@code tasks} holds {@code text}. */
    private static boolean taskFilesSay(Path tasks, String text) {
        try (var files = Files.list(tasks)) {
            return files.filter(file -> file.getFileName().toString().matches("[a-z0-9]{8}\\.json"))
                    .anyMatch(file -> readable(file).contains(text));
        } catch (IOException e) {
            return false;
        }
    }

    private static long exitFiles(Path tasks) {
        try (var files = Files.list(tasks)) {
            return files.filter(file -> file.toString().endsWith(".exit")).count();
        } catch (IOException e) {
            return 0;
        }
    }


    private static String readable(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void assertInOrder(List<String> lines, String... patterns) {
        int from = 0;
        for (String pattern : patterns) {
            Pattern regex = Pattern.compile(pattern);
            int found = -1;
            for (int i = from; i < lines.size(); i++) {
                if (regex.matcher(lines.get(i)).matches()) {
                    found = i;
                    break;
                }
            }
            assertThat(found).as("a line matching /%s/ after line %d of%n%s", pattern, from, String.join("\n", lines))
                    .isNotNegative();
            from = found + 1;
        }
    }

    /** The live threads of engines: their timers and their notification senders. */
    private static long engineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(thread -> thread.getName().equals("octo-timeouts")
                        || thread.getName().equals("octo-notifications"))
                .count();
    }

    private static void awaitEngineThreads(long atMost) {
        Eventually.holds(Duration.ofSeconds(10), () -> engineThreads() <= atMost);
        assertThat(engineThreads()).as("threads of engines still alive").isLessThanOrEqualTo(atMost);
    }
}
