package dev.octo.application.service;

import dev.octo.application.fakes.InMemoryConversationStore;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.out.AgentTranscripts;
import dev.octo.application.fakes.FakeAgentTranscripts;
import dev.octo.application.port.in.CommandCatalogue.TaskSubcommand;
import dev.octo.application.port.in.TaskNotice;
import static dev.octo.application.fakes.ScriptedAgentRunner.Step.complete;
import static dev.octo.application.fakes.ScriptedAgentRunner.Step.escalate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.Eventually;
import dev.octo.application.fakes.FakeProcess;
import dev.octo.application.fakes.FakeProcessRunner;
import dev.octo.application.fakes.InMemoryTaskStore;
import dev.octo.application.fakes.MutableClock;
import dev.octo.application.fakes.NoSupervisorChat;
import dev.octo.application.fakes.RecordingNotifier;
import dev.octo.application.fakes.ScriptedAgentRunner;
import dev.octo.application.fakes.SequentialTaskIds;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.ReplyText;
import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.TaskView;
import dev.octo.application.port.out.AgentRunner;
import dev.octo.application.port.out.ProcessExit;
import dev.octo.application.port.out.SupervisorChat;
import dev.octo.domain.AgentSpec;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import dev.octo.domain.Timeout;
import dev.octo.domain.TimeoutPolicy;
import dev.octo.domain.Transition;
import java.util.function.Consumer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandInterpreterTest {

    private static final Duration LIMIT = Eventually.DEFAULT_LIMIT;

    @TempDir
    Path workingDirectory;

    private final InMemoryTaskStore store = new InMemoryTaskStore();
    private final FakeProcessRunner processes = new FakeProcessRunner();
    private final ScriptedAgentRunner agents = new ScriptedAgentRunner();
    private final MutableClock clock = new MutableClock();
    private final SequentialTaskIds ids = new SequentialTaskIds();
    private final FakeAgentTranscripts transcripts = new FakeAgentTranscripts();
    private TaskEngine engine;
    private CommandInterpreter interpreter;

    @BeforeEach
    void startEngine() {
        engine = new TaskEngine(store, ids, clock, processes, agents, new EngineSettings(2,
                workingDirectory, new TimeoutPolicy(Duration.ZERO, Duration.ZERO), EscalationPolicy.DEFAULT));
        engine.start();
        interpreter = CommandInterpreter.over(engine, transcripts, new NoSupervisorChat(), clock);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    private Reply handle(String line) {
        Reply reply = interpreter.handle("cli", line);
        assertThat(reply).as("the reply to %s", line).isNotNull();
        assertThat(reply.text()).as("the reply to %s", line).isNotBlank();
        return reply;
    }

    /** The rows of {@code reply}, which must be a task table. */
    private static List<TaskView> rows(Reply reply) {
        assertThat(reply).isInstanceOf(Reply.Tasks.class);
        return ((Reply.Tasks) reply).rows();
    }

    private Reply ok(String line) {
        Reply reply = handle(line);
        assertThat((reply instanceof Reply.Error)).as("%s is accepted; it answered: %s", line, reply.text()).isFalse();
        return reply;
    }

    private Reply refused(String line) {
        Reply reply = handle(line);
        assertThat((reply instanceof Reply.Error)).as("%s is refused; it answered: %s", line, reply.text()).isTrue();
        return reply;
    }

    /** Dispatches through the interpreter and gives the id of the new task. */
    private TaskId bg(String command) {
        ok("/bg " + command);
        return newest().id();
    }

    private Task newest() {
        return engine.find(engine.list(Optional.empty()).get(0).id()).orElseThrow();
    }

    private Task stored(TaskId id) {
        return store.find(id).orElseThrow();
    }

    private FakeProcess processOf(TaskId id) throws Exception {
        return processes.awaitProcess(id, LIMIT);
    }

    /** Stops the engine and starts a new one on the same store, as the next Octo would. */
    private void restart() {
        engine.close();
        startEngine();
    }

    private static Task applied(Transition transition) {
        assertThat(transition).isInstanceOf(Transition.Applied.class);
        return ((Transition.Applied) transition).task();
    }

    private TaskId finishedTask(String command, int exitCode) throws Exception {
        TaskId id = bg(command);
        processOf(id).finish(exitCode, "out of " + command, exitCode == 0 ? "" : "err of " + command);
        engine.awaitFinal(id, LIMIT);
        assertThat(stored(id).isFinal()).isTrue();
        return id;
    }

    @Nested
    class EmptyAndOddInput {

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "\t\n", "\u0000\u001b"})
        void emptyInputAsksForACommand(String line) {
            assertThat(ok(line).text()).contains("/help");
        }

        @Test
        void aNullLineIsTakenAsEmpty() {
            assertThat(ok(null).text()).contains("/help");
        }

        @Test
        void tooLongInputIsRefusedWithTheLimit() {
            Reply reply = refused("/bg echo " + "x".repeat(200_000));

            assertThat(reply.text()).contains("200009").contains(String.valueOf(CommandInterpreter.MAX_INPUT_LENGTH));
            assertThat(store.list()).isEmpty();
        }

        @Test
        void controlCharactersAreDroppedBeforeTheCommandIsRead() throws Exception {
            ok("\u0000/bg echo\u001b[31m hi");

            String command = ((ProcessSpec) newest().spec()).command();
            assertThat(command).isEqualTo("echo[31m hi");
            assertThat(command.codePoints().noneMatch(Character::isISOControl)).isTrue();
        }

        @Test
        void unicodeIsKeptAsItIs() throws Exception {
            String command = "echo 'héllo wörld ✓ 日本語 🐙'";

            ok("/bg " + command);

            TaskId id = newest().id();
            assertThat(processOf(id).taskId()).isEqualTo(id);
            assertThat(processes.starts()).singleElement()
                    .satisfies(start -> assertThat(start.spec().command()).isEqualTo(command));
            assertThat(ok("/task " + id).text()).contains("日本語 🐙");
        }

        @Test
        void shortenedTextNeverCutsACharacterInHalf() throws Exception {
            // an emoji is two chars in Java; a cut between them leaves text a channel cannot send
            String octopus = "\uD83D\uDC19";
            for (int at = 30; at < 90; at++) {
                String command = "echo " + "x".repeat(at) + octopus.repeat(40);
                List<Reply> replies = List.of(refused("/" + "y".repeat(at) + octopus.repeat(30)),
                        refused("/task " + "z".repeat(at) + octopus.repeat(30)),
                        refused("/tasks " + "w".repeat(at) + octopus.repeat(30)),
                        ok("/bg " + command), ok("/tasks"));
                for (Reply reply : replies) {
                    assertThat(reply.text().chars().filter(c -> Character.isSurrogate((char) c)).count() % 2)
                            .as("surrogates come in pairs in %s", reply.text()).isZero();
                    assertThat(wellFormed(reply.text())).as("well-formed: %s", reply.text()).isTrue();
                }
            }
        }

        private static boolean wellFormed(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isHighSurrogate(c)) {
                    if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                        return false;
                    }
                    i++;
                } else if (Character.isLowSurrogate(c)) {
                    return false;
                }
            }
            return true;
        }

        @Test
        void anUnknownCommandIsRefusedAndNamed() {
            assertThat(refused("/nonsense now").text()).contains("Unknown command /nonsense").contains("/help");
            assertThat(refused("/").text()).contains("Unknown command");
        }

        @ParameterizedTest
        @ValueSource(strings = {"/exit now", "/quit please", "/EXIT  now", "/exit --force"})
        void leavingWithWordsAfterItIsAUsageErrorNotAnUnknownCommand(String line) {
            String command = line.substring(0, 5).toLowerCase(java.util.Locale.ROOT);

            Reply reply = refused(line);

            assertThat(reply.text()).isEqualTo("Usage: " + command + " (it takes no arguments)");
            assertThat((reply instanceof Reply.Leave)).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"/exit", "/quit", "  /EXIT  ", "/Quit"})
        void leavingAloneIsALeaveReplyForTheFrontEnd(String line) {
            Reply reply = ok(line);

            assertThat((reply instanceof Reply.Leave)).isTrue();
            assertThat(reply.text()).isEqualTo("Bye.");
        }

        @Test
        void noOtherReplyAsksToLeave() throws Exception {
            TaskId id = finishedTask("echo hi", 0);

            for (String line : List.of("/help", "/tasks", "/task " + id, "/wait", "/clean", "/nonsense", "/exits",
                    "exit", "/bg exit")) {
                assertThat(handle(line) instanceof Reply.Leave).as("the reply to %s", line).isFalse();
            }
        }

        @Test
        void helpListsEveryCommand() {
            String help = ok("/help").text();

            assertThat(help).isEqualTo(CommandInterpreter.HELP)
                    .contains("/bg [--timeout S] [--] <command>", "/tasks", "/task <id>", "cancel", "resume", "log",
                            "retry", "followup", "/wait", "/clean [status] [--older-than DAYS]", "/exit", "/quit");
            assertThat(ok("/start").text()).isEqualTo(CommandInterpreter.HELP);
            assertThat(ok("/HELP").text()).isEqualTo(CommandInterpreter.HELP);
        }
    }

    @Nested
    class Background {

        @Test
        void withoutACommandItGivesTheUsage() {
            assertThat(refused("/bg").text()).contains("Usage: /bg");
            assertThat(refused("/bg   ").text()).contains("Usage: /bg");
            assertThat(refused("/bg --timeout 5").text()).contains("Usage: /bg");
            assertThat(store.list()).isEmpty();
        }

        @Test
        void aTimeoutWithoutANumberIsRefused() {
            assertThat(refused("/bg --timeout").text()).contains("timeout").contains("Usage: /bg");
            assertThat(refused("/bg --timeout=").text()).contains("timeout");
            assertThat(refused("/bg --timeoutx ls").text()).contains("Usage: /bg");
            assertThat(store.list()).isEmpty();
        }

        @Test
        void aTimeoutThatIsNotAPositiveWholeNumberIsRefused() {
            assertThat(refused("/bg --timeout abc ls").text()).contains("'abc'").contains("number");
            assertThat(refused("/bg --timeout 0 ls").text()).contains("'0'");
            assertThat(refused("/bg --timeout -5 ls").text()).contains("'-5'");
            assertThat(refused("/bg --timeout 1.5 ls").text()).contains("'1.5'");
            assertThat(refused("/bg --timeout 99999999999999999999 ls").text()).contains("'99999999999999999999'");
            assertThat(store.list()).isEmpty();
        }

        @Test
        void aTimeoutWithAnEqualsSignIsAccepted() {
            Reply reply = ok("/bg --timeout=5 echo hi");

            Task task = newest();
            assertThat(reply.text()).contains(task.id().value()).contains("echo hi");
            assertThat(((ProcessSpec) task.spec()).command()).isEqualTo("echo hi");
            assertThat(task.spec().timeout()).isEqualTo(Timeout.limited(Duration.ofSeconds(5), Duration.ofSeconds(5)));
        }

        @Test
        void aTimeoutAsItsOwnWordIsAcceptedAndRecorded() {
            ok("/bg --timeout 5 echo hi");

            Task task = newest();
            assertThat(((ProcessSpec) task.spec()).command()).isEqualTo("echo hi");
            assertThat(task.spec().timeout().requested()).contains(Duration.ofSeconds(5));
            assertThat(task.spec().timeout().applied()).contains(Duration.ofSeconds(5));
        }

        @Test
        void theCommandReachesTheRunnerExactlyAsTyped() throws Exception {
            String command = "echo \"a  b\"   'c  d' | tr a-z A-Z && printf '%s\\n' $HOME \\\n  next";

            ok("/bg " + command);

            TaskId id = newest().id();
            processOf(id);
            assertThat(processes.starts()).singleElement()
                    .satisfies(start -> assertThat(start.spec().command()).isEqualTo(command));
        }

        @Test
        void theReplyNamesTheNewTask() {
            Reply reply = ok("/bg sleep 10");

            assertThat(reply.text()).contains("Dispatched").contains(newest().id().value()).contains("sleep 10");
        }

        @ParameterizedTest
        @ValueSource(strings = {"-t 2 ls", "--time 2 ls", "--timeout 5 --timeout 6 ls", "--timeout=5 --timeout 6 ls",
            "--timeout 5 -t 2 ls", "--verbose ls"})
        void anOptionItDoesNotKnowOrASecondTimeoutIsRefusedWithTheUsage(String arguments) {
            Reply reply = refused("/bg " + arguments);

            assertThat(reply.text()).contains("Usage: /bg [--timeout S] [--] <command>");
            assertThat(store.list()).isEmpty();
        }

        @Test
        void aCommandThatStartsWithADashIsRefusedWithAHintToPutDoubleDashBeforeIt() {
            Reply reply = refused("/bg -weird-command now");

            assertThat(reply.text()).contains("'-weird-command'").contains("/bg -- -weird-command");
            assertThat(store.list()).isEmpty();
        }

        @Test
        void doubleDashEndsTheOptions() {
            ok("/bg -- -weird-command  now");
            assertThat(((ProcessSpec) newest().spec()).command()).isEqualTo("-weird-command  now");
            assertThat(newest().spec().timeout()).isEqualTo(Timeout.NONE);

            ok("/bg --timeout 5 -- --timeout 7 -t");
            assertThat(((ProcessSpec) newest().spec()).command()).isEqualTo("--timeout 7 -t");
            assertThat(newest().spec().timeout().requested()).contains(Duration.ofSeconds(5));
        }

        @Test
        void wordsAfterTheCommandBeginsArePartOfIt() {
            ok("/bg echo --timeout 5 -t 2");

            assertThat(((ProcessSpec) newest().spec()).command()).isEqualTo("echo --timeout 5 -t 2");
            assertThat(newest().spec().timeout()).isEqualTo(Timeout.NONE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"99999999999", "99999999999999999999", "31536001", "0", "-5"})
        void aTimeoutOutOfRangeIsRefusedWithTheRange(String seconds) {
            Reply reply = refused("/bg --timeout " + seconds + " ls");

            assertThat(reply.text()).contains("from 1 to 31536000 seconds").contains("'" + seconds + "'")
                    .doesNotContain("whole number");
            assertThat(store.list()).isEmpty();
        }

        @Test
        void theLongestTimeoutIsAYear() {
            ok("/bg --timeout 31536000 ls");

            assertThat(newest().spec().timeout().requested()).contains(Duration.ofDays(365));
        }

        @Test
        void aTimeoutThatIsNoNumberIsRefusedAsNotANumber() {
            assertThat(refused("/bg --timeout abc ls").text()).contains("must be a number of seconds, not 'abc'");
            assertThat(refused("/bg --timeout=5s ls").text()).contains("must be a number of seconds, not '5s'");
            assertThat(refused("/bg --timeout 1.5 ls").text()).contains("must be a whole number of seconds, not '1.5'");
            assertThat(store.list()).isEmpty();
        }

        @Test
        void theReplySaysWhenTheTaskWaitsForAFreeWorker() {
            Reply first = ok("/bg sleep 1");
            ok("/bg sleep 2");

            Reply third = ok("/bg sleep 3");

            assertThat(first.text()).doesNotContain("waiting");
            assertThat(third.text()).isEqualTo("Dispatched task " + newest().id() + ": sleep 3 (waiting: 2 running, limit 2)");
        }

        @Test
        void theReplySaysWhenAndWhyTheTimeoutWasRaised() {
            try (TaskEngine withFloors = new TaskEngine(new InMemoryTaskStore(), new SequentialTaskIds("f"), clock,
                    new FakeProcessRunner(), agents, new EngineSettings(2, workingDirectory, TimeoutPolicy.DEFAULT,
                            EscalationPolicy.DEFAULT))) {
                withFloors.start();
                CommandInterpreter floored = CommandInterpreter.over(withFloors, new FakeAgentTranscripts(), new NoSupervisorChat(), clock);

                assertThat(floored.handle("cli", "/bg --timeout 60 claude -p 'fix it'").text()).endsWith(
                        "\nTimeout raised from 60 s to 2400 s: claude commands get at least CLAUDE_CODE_TIMEOUT.");
                assertThat(floored.handle("cli", "/bg --timeout 60 mvn -q test").text()).endsWith(
                        "\nTimeout raised from 60 s to 3600 s: test and build commands get at least 3600 s.");
                assertThat(floored.handle("cli", "/bg --timeout 5000 claude -p 'fix it'").text()).doesNotContain("raised");
                assertThat(floored.handle("cli", "/bg --timeout 60 ls").text()).doesNotContain("raised");
            }
        }
    }

    @Nested
    class Agents {

        @Test
        void agentDispatchesAnAgentTaskWithItsPrompt() {
            agents.enqueue(ScriptedAgentRunner.Step.blockUntilInterrupted());

            Reply reply = ok("/agent summarise the README");

            Task task = newest();
            assertThat(task.spec()).isInstanceOfSatisfying(AgentSpec.class, spec -> {
                assertThat(spec.prompt()).isEqualTo("summarise the README");
                assertThat(spec.agentName()).isEqualTo(AgentSpec.DEFAULT_AGENT);
                assertThat(spec.timeout().applied()).isEmpty();
            });
            assertThat(reply.text()).contains(task.id().value());
        }

        @Test
        void itsOptionsNameTheAgentAndSetTheTimeout() {
            agents.enqueue(ScriptedAgentRunner.Step.blockUntilInterrupted());

            ok("/agent --name reviewer --timeout=90 -- -read the diff");

            assertThat(newest().spec()).isInstanceOfSatisfying(AgentSpec.class, spec -> {
                assertThat(spec.prompt()).isEqualTo("-read the diff");
                assertThat(spec.agentName()).isEqualTo("reviewer");
                assertThat(spec.timeout().applied()).contains(Duration.ofSeconds(90));
            });
        }

        @Test
        void anAgentTaskShowsItsTurnsAndTokensInDetailAndItsTokensInTheTable() {
            agents.enqueue(ScriptedAgentRunner.Step.takingTurns(3, 4_000, 100, complete("summarised")));
            TaskId id = ids.next();
            ids.thenGive(id.value());
            ok("/agent summarise the README");
            Eventually.await("the agent completes", () -> stored(id).status() == TaskStatus.COMPLETED);

            assertThat(ok("/task " + id).text()).contains("Turns:    3\nTokens:   12,000 in · 300 out");
            assertThat(rows(ok("/tasks"))).singleElement().extracting(TaskView::tokens).isEqualTo("12.3k");
            assertThat(ok("/tasks").text().lines().toList().get(0)).contains("TOKENS");
        }

        @Test
        void whereNoAgentCanRunAgentWorkIsRefusedWithTheReasonAndNothingIsMade() throws Exception {
            AgentRunner unavailable = new AgentRunner() {
                @Override
                public Outcome run(Task task) {
                    throw new AssertionError("no agent task is made, so none runs");
                }

                @Override
                public Optional<String> unavailable() {
                    return Optional.of("Agent tasks need an LLM: set OCTO_LLM_PROVIDER");
                }
            };
            try (TaskEngine withoutAgents = new TaskEngine(store, new InMemoryConversationStore(),
                    () -> List.of(AgentSpec.DEFAULT_AGENT), ids, clock, processes, unavailable,
                    new EngineSettings(2, workingDirectory, new TimeoutPolicy(Duration.ZERO, Duration.ZERO),
                            EscalationPolicy.DEFAULT))) {
                withoutAgents.start();
                CommandInterpreter commands = CommandInterpreter.over(withoutAgents, transcripts,
                        new NoSupervisorChat(), clock);
                TaskId finished = ((TaskOutcome.Done) withoutAgents.dispatch(DispatchTask.Process.of("make"))).task().id();
                processes.awaitProcess(finished, LIMIT).finish(0, "built", "");
                withoutAgents.awaitFinal(finished, LIMIT);

                Reply agent = commands.handle("cli", "/agent summarise the README");
                Reply named = commands.handle("cli", "/agent --name nobody summarise the README");
                Reply followUp = commands.handle("cli", "/task " + finished + " followup now test it");

                assertThat(agent).isEqualTo(Reply.error("Agent tasks need an LLM: set OCTO_LLM_PROVIDER"));
                assertThat(named).isEqualTo(Reply.error("Agent tasks need an LLM: set OCTO_LLM_PROVIDER"));
                assertThat(followUp).isEqualTo(Reply.error("Agent tasks need an LLM: set OCTO_LLM_PROVIDER"));
                assertThat(store.list()).extracting(Task::id).containsExactly(finished);
                assertThat(commands.handle("cli", "/bg echo still works")).isInstanceOf(Reply.Text.class);
            }
        }

        @Test
        void aProcessTableHasNoTokensColumn() throws Exception {
            finishedTask("echo one", 0);

            assertThat(ok("/tasks").text()).doesNotContain("TOKENS");
        }

        @Test
        void theLogOfAnAgentTaskIsItsTranscript() {
            agents.enqueue(complete("done"));
            TaskId id = ids.next();
            ids.thenGive(id.value());
            ok("/agent read the notes");
            Eventually.await("the agent completes", () -> stored(id).status() == TaskStatus.COMPLETED);
            transcripts.put(id, List.of(new AgentTranscripts.Entry.UserText("read the notes"),
                    new AgentTranscripts.Entry.ModelText("I will read them."),
                    new AgentTranscripts.Entry.ToolCall("read_file", "{\"path\":\n\"notes.md\"}",
                            Optional.of("line one\nline two")),
                    new AgentTranscripts.Entry.ToolCall("escalate_question", "{\"question\":\"Which?\"}",
                            Optional.empty())));

            assertThat(ok("/task " + id + " log").text()).isEqualTo(String.join("\n",
                    "user: read the notes",
                    "agent: I will read them.",
                    "tool read_file {\"path\": \"notes.md\"}",
                    "  → line one",
                    "    line two",
                    "tool escalate_question {\"question\":\"Which?\"}",
                    "  (waiting)"));
        }

        @Test
        void anAgentWithoutATranscriptSaysSo() {
            agents.enqueue(ScriptedAgentRunner.Step.blockUntilInterrupted());
            TaskId id = ids.next();
            ids.thenGive(id.value());
            ok("/agent read the notes");

            assertThat(ok("/task " + id + " log").text()).isEqualTo("Task " + id + " has no transcript yet.");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "--name", "--name reviewer", "--timeout 5", "--timeout abc do it",
                "--name a --name b do it", "--model x do it", "--timeout 5 --timeout 6 do it"})
        void aMalformedLineIsRefusedWithTheUsageAndDispatchesNothing(String arguments) {
            Reply reply = refused(("/agent " + arguments).strip());

            assertThat(reply.text()).contains("Usage: /agent [--name NAME] [--timeout S] <prompt>");
            assertThat(store.list()).isEmpty();
        }
    }

    @Nested
    class Listing {

        @Test
        void withNoTasksItSaysSo() {
            Reply reply = ok("/tasks");

            assertThat(reply.text()).contains("No tasks yet");
            assertThat(rows(reply)).isEmpty();
        }

        @Test
        void tasksComeNewestFirstAsRowsAndAsText() throws Exception {
            TaskId first = finishedTask("echo one", 0);
            clock.advance(Duration.ofSeconds(30));
            TaskId second = bg("sleep 2");
            clock.advance(Duration.ofSeconds(30));
            TaskId third = bg("sleep 3");
            processOf(third);

            Reply reply = ok("/tasks");

            assertThat(rows(reply)).extracting(TaskView::id)
                    .containsExactly(third.value(), second.value(), first.value());
            assertThat(rows(reply)).extracting(TaskView::status)
                    .containsExactly(TaskStatus.RUNNING, TaskStatus.RUNNING, TaskStatus.COMPLETED);
            assertThat(rows(reply)).extracting(TaskView::summary).containsExactly("sleep 3", "sleep 2", "echo one");
            String text = reply.text();
            assertThat(text).contains("ID", "STATUS");
            assertThat(text.indexOf(third.value())).isLessThan(text.indexOf(second.value()));
            assertThat(text.indexOf(second.value())).isLessThan(text.indexOf(first.value()));
        }

        @Test
        void aStatusFiltersTheList() throws Exception {
            TaskId done = finishedTask("echo one", 0);
            TaskId running = bg("sleep 100");
            processOf(running);

            assertThat(rows(ok("/tasks running"))).extracting(TaskView::id).containsExactly(running.value());
            assertThat(rows(ok("/tasks COMPLETED"))).extracting(TaskView::id).containsExactly(done.value());
            assertThat(rows(ok("/tasks all"))).hasSize(2);
            Reply none = ok("/tasks paused");
            assertThat(rows(none)).isEmpty();
            assertThat(none.text()).contains("No paused tasks");
        }

        @Test
        void aDispatchedTaskThatWaitsForAWorkerShowsAsWaiting() throws Exception {
            processOf(bg("sleep 1"));
            processOf(bg("sleep 2"));
            TaskId waiting = bg("sleep 3");

            Reply reply = ok("/tasks");

            assertThat(stored(waiting).status()).isEqualTo(TaskStatus.DISPATCHED);
            assertThat(reply.text().lines().filter(line -> line.startsWith(waiting.value())))
                    .singleElement().satisfies(line -> assertThat(line).matches(waiting + " +process +waiting +.*sleep 3"));
            assertThat(ok("/task " + waiting).text()).startsWith("Task " + waiting + " · process · waiting · ");
            assertThat(rows(ok("/tasks waiting"))).extracting(TaskView::id).containsExactly(waiting.value());
        }

        @Test
        void anUnknownStatusIsRefusedWithTheKnownOnes() {
            assertThat(refused("/tasks bogus").text()).contains("'bogus'").contains("running").contains("paused");
        }

        /** 60 completed tasks, then 3 failed ones; the ids of all 63, newest first. */
        private List<String> manyFinishedTasks() {
            List<String> newestFirst = new ArrayList<>();
            Instant at = clock.instant().minusSeconds(10_000);
            for (int n = 0; n < 63; n++) {
                String id = String.format("old%05d", n);
                Task running = EngineTestFixture.runningAt(id, ProcessSpec.of("echo " + n, workingDirectory),
                        at.plusSeconds(10L * n));
                store.save(n < 60 ? applied(running.complete("done", at.plusSeconds(10L * n + 5)))
                        : applied(running.fail("exit 1", at.plusSeconds(10L * n + 5))));
                newestFirst.addFirst(id);
            }
            return newestFirst;
        }

        @Test
        void withoutAllItShowsTheNewestFiftyAndCountsTheRest() {
            List<String> ids = manyFinishedTasks();

            Reply reply = ok("/tasks");

            assertThat(rows(reply)).extracting(TaskView::id).containsExactlyElementsOf(ids.subList(0, 50));
            assertThat(((Reply.Tasks) reply).older()).isEqualTo(13);
            assertThat(reply.text().lines()).hasSize(52)
                    .last().isEqualTo("… and 13 older tasks: /tasks all shows every one.");
        }

        @Test
        void allShowsEveryTask() {
            List<String> ids = manyFinishedTasks();

            Reply reply = ok("/tasks all");

            assertThat(rows(reply)).extracting(TaskView::id).containsExactlyElementsOf(ids);
            assertThat(((Reply.Tasks) reply).older()).isZero();
            assertThat(reply.text().lines()).hasSize(64).noneMatch(line -> line.contains("older"));
        }

        @Test
        void aStatusKeepsToTheNewestFiftyOfItAndAllWithAStatusShowsEveryOneOfIt() {
            List<String> ids = manyFinishedTasks();

            Reply completed = ok("/tasks completed");
            assertThat(rows(completed)).extracting(TaskView::id).containsExactlyElementsOf(ids.subList(3, 53));
            assertThat(completed.text().lines().toList().getLast())
                    .isEqualTo("… and 10 older completed tasks: /tasks all completed shows every one.");
            assertThat(rows(ok("/tasks failed"))).extracting(TaskView::id).containsExactlyElementsOf(ids.subList(0, 3));
            assertThat(ok("/tasks failed").text()).doesNotContain("older");
            for (String line : List.of("/tasks all completed", "/tasks completed all", "/tasks ALL Completed")) {
                assertThat(rows(ok(line))).as(line).extracting(TaskView::id).containsExactlyElementsOf(ids.subList(3, 63));
            }
        }

        @Test
        void twoStatusesOrAllTwiceAreRefusedWithTheUsage() {
            assertThat(refused("/tasks running failed").text()).isEqualTo(CommandInterpreter.TASKS_USAGE);
            assertThat(refused("/tasks all all").text()).isEqualTo(CommandInterpreter.TASKS_USAGE);
            assertThat(refused("/tasks all bogus").text()).contains("'bogus'").contains("Usage: /tasks [all] [");
        }
    }

    @Nested
    class OneTask {

        @Test
        void withoutAnIdItGivesTheUsage() {
            assertThat(refused("/task").text()).contains("Usage: /task <id>");
        }

        @Test
        void anUnknownIdIsRefused() {
            assertThat(refused("/task zzzz").text()).contains("No task matches 'zzzz'");
            assertThat(refused("/task zzzz cancel").text()).contains("'zzzz'");
        }

        @Test
        void anAmbiguousPrefixListsTheCandidates() {
            ids.thenGive("abc12345", "abc67890");
            bg("echo one");
            bg("echo two");

            Reply reply = refused("/task abc");

            assertThat(reply.text()).contains("abc12345").contains("abc67890").contains("2 tasks");
        }

        @Test
        void waitListsTheCandidatesOfAnAmbiguousPrefixAsTaskDoes() {
            ids.thenGive("abc12345", "abc67890");
            bg("echo one");
            bg("echo two");

            Reply reply = refused("/wait abc");

            assertThat(reply.text()).isEqualTo(refused("/task abc").text())
                    .contains("abc12345, abc67890");
        }

        @Test
        void anIdOrAPrefixShowsTheTask() throws Exception {
            ids.thenGive("kq7x2m9p");
            TaskId id = bg("--timeout 60 make all");
            processOf(id);
            processes.output(id, "stdout:\ncompiling 42 files");

            for (String form : List.of("kq7x2m9p", "kq7", "KQ7X")) {
                String text = ok("/task " + form).text();
                assertThat(text).contains("kq7x2m9p").contains("process").contains("running")
                        .contains("Command:").contains("make all").contains("Timeout:  60 s")
                        .contains("compiling 42 files").contains("Created:");
            }
        }

        @Test
        void aFinishedTaskShowsItsResultOrError() throws Exception {
            TaskId good = finishedTask("echo good", 0);
            TaskId bad = finishedTask("echo bad", 7);

            assertThat(ok("/task " + good).text()).contains("completed").contains("Result:").contains("out of echo good");
            assertThat(ok("/task " + bad).text()).contains("failed").contains("Error:").contains("Exit code 7")
                    .contains("err of echo bad");
        }

        @Test
        void aBlankResultShowsNoResultHeading() throws Exception {
            TaskId id = bg("true");
            processOf(id).finish(0, "", "");
            engine.awaitFinal(id, LIMIT);

            assertThat(ok("/task " + id).text()).contains("completed").doesNotContain("Result:");
        }

        @Test
        void aRunningProcessTaskShowsItsPidAndItsLogFiles() throws Exception {
            TaskId id = bg("make all");
            long pid = processOf(id).ref().pid();
            Eventually.await("the pid is recorded", () -> stored(id).process().isPresent());

            assertThat(ok("/task " + id).text()).contains("\nPid:      " + pid + "\n")
                    .contains("\nLogs:     " + Path.of("tasks", id + ".out.log") + "\n          "
                            + Path.of("tasks", id + ".err.log"));
        }

        @Test
        void aFinishedProcessTaskShowsItsExitCodeAndNoPid() throws Exception {
            TaskId failed = finishedTask("make all", 7);
            TaskId completed = finishedTask("make docs", 0);

            assertThat(ok("/task " + failed).text()).contains("\nExit:     code 7\n").doesNotContain("Pid:");
            assertThat(ok("/task " + completed).text()).contains("\nExit:     code 0\n");
        }

        @Test
        void aCancelledProcessTaskShowsNoExitCodeForItRecordedNone() throws Exception {
            TaskId id = bg("sleep 100");
            processOf(id);
            ok("/task " + id + " cancel");

            assertThat(ok("/task " + id).text()).contains("cancelled").doesNotContain("Exit:");
        }

        @Test
        void aHugeResultIsCutToItsEndAndNamesTheLogWithAllOfIt() throws Exception {
            TaskId oneLine = bg("yes | tr -d '\\n'");
            processOf(oneLine).finish(0, "y".repeat(5_000_000) + "\nthe last line", "");
            TaskId manyLines = bg("seq 100000");
            StringBuilder lines = new StringBuilder();
            for (int i = 1; i <= 100_000; i++) {
                lines.append(i).append('\n');
            }
            processOf(manyLines).finish(0, lines.toString(), "");
            engine.awaitFinal(oneLine, LIMIT);
            engine.awaitFinal(manyLines, LIMIT);

            for (TaskId id : List.of(oneLine, manyLines)) {
                String text = ok("/task " + id).text();
                assertThat(text.length()).as("the length of %s", text.substring(0, 200)).isLessThan(
                        2 * CommandInterpreter.SHOW_MAX_CHARS);
                assertThat(text).contains("[… cut; all of it is in " + Path.of("tasks", id + ".out.log") + "]");
            }
            assertThat(ok("/task " + oneLine).text()).endsWith("y\nthe last line");
            assertThat(ok("/task " + manyLines).text()).endsWith("\n99999\n100000")
                    .doesNotContain("\n99980\n").contains("\n99981\n");
        }

        @Test
        void aHugeErrorKeepsItsReasonAndTheEndOfStderr() throws Exception {
            TaskId id = bg("make all");
            processOf(id).finish(2, "", "e".repeat(5_000_000) + "\nmake: *** [all] Error 2\n");
            engine.awaitFinal(id, LIMIT);

            String text = ok("/task " + id).text();

            assertThat(text.length()).isLessThan(2 * CommandInterpreter.SHOW_MAX_CHARS);
            assertThat(text).contains("Error:\nExit code 2\n[… cut; all of it is in " + Path.of("tasks", id + ".err.log")
                    + "]\n").endsWith("e\nmake: *** [all] Error 2");
        }

        @Test
        void aPausedTaskShowsItsQuestionAndHowToAnswer() {
            agents.enqueue(escalate("Which database?"));
            engine.dispatch(DispatchTask.Agent.of("migrate"));
            TaskId id = newest().id();
            Eventually.await("the task pauses", () -> stored(id).status() == TaskStatus.PAUSED);

            assertThat(ok("/task " + id).text()).contains("Prompt:").contains("migrate")
                    .contains("Question: Which database?").contains("/task " + id + " resume");
        }

        @Test
        void aTaskIsADetailWithTheActionsThatApplyToItNow() throws Exception {
            TaskId running = bg("sleep 100");
            processOf(running);
            TaskId finished = finishedTask("make", 2);

            Reply.Detail whileRunning = (Reply.Detail) ok("/task " + running);
            Reply.Detail whenFailed = (Reply.Detail) ok("/task " + finished);

            assertThat(whileRunning.task().id()).isEqualTo(running.value());
            assertThat(whileRunning.task().status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(whileRunning.actions()).containsExactly(TaskSubcommand.CANCEL, TaskSubcommand.LOG);
            assertThat(whileRunning.body()).startsWith("Command:  sleep 100").doesNotContain("Task " + running);
            assertThat(whenFailed.actions())
                    .containsExactly(TaskSubcommand.LOG, TaskSubcommand.RETRY, TaskSubcommand.FOLLOWUP);
            // no action carries command syntax: only the plain rendering of a paused task says what to type
            assertThat(whenFailed.text()).startsWith("Task " + finished + " · process · failed · ")
                    .doesNotContain("/task");
        }

        @Test
        void anUnknownSubcommandIsRefusedWithTheUsage() {
            TaskId id = bg("sleep 100");

            assertThat(refused("/task " + id + " bogus").text()).contains("'bogus'").contains("Usage: /task");
        }

        @Test
        void resumeNeedsAnAnswer() {
            TaskId id = bg("sleep 100");

            assertThat(refused("/task " + id + " resume").text()).contains("resume <answer>");
            assertThat(refused("/task " + id + " resume    ").text()).contains("resume <answer>");
        }

        @Test
        void resumingATaskThatIsNotPausedIsRefusedWithItsStatus() throws Exception {
            TaskId id = bg("sleep 100");
            processOf(id);

            assertThat(refused("/task " + id + " resume yes").text()).contains(id.value()).contains("running");
        }

        @Test
        void resumingAPausedTaskGoesOnWithTheAnswer() throws Exception {
            TaskId id = ids.next();
            ids.thenGive(id.value());
            agents.script(id, escalate("Which database?"), complete("migrated"));
            engine.dispatch(DispatchTask.Agent.of("migrate"));
            Eventually.await("the task pauses", () -> stored(id).status() == TaskStatus.PAUSED);

            assertThat(ok("/task " + id + " resume the   blue one").text()).contains(id.value());

            assertThat(engine.awaitFinal(id, LIMIT).orElseThrow().status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(agents.runsOf(id).get(1).answer()).contains("the   blue one");
        }

        @Test
        void cancelStopsTheTask() throws Exception {
            TaskId id = bg("sleep 100");
            FakeProcess process = processOf(id);

            assertThat(ok("/task " + id + " cancel").text()).contains("Cancelled").contains(id.value());

            // a cancel that comes while the process is being started stops it right after the start
            Eventually.await("the process is told to stop", process::wasTerminated);
            assertThat(stored(id).status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(refused("/task " + id + " cancel").text()).contains("cancelled");
            assertThat(refused("/task " + id + " cancel now").text()).contains("Usage");
        }

        @Test
        void aCancelNamesTheChannelItWasAskedOnSoThatOnlyTheOthersAreToldOfIt() throws Exception {
            RecordingNotifier notifier = new RecordingNotifier();
            engine.register(notifier);
            TaskId id = bg("sleep 100");
            processOf(id);

            Reply reply = interpreter.handle("telegram:7", "/task " + id + " cancel");

            assertThat(reply.text()).isEqualTo("Cancelled task " + id + ".");
            Eventually.await("the cancel is told", () -> !notifier.events(TaskNotice.Type.CANCELLED).isEmpty());
            TaskNotice cancelled = notifier.events(TaskNotice.Type.CANCELLED).get(0);
            assertThat(cancelled.requestedOn()).contains("telegram:7");
            assertThat(ReplyText.notification(cancelled, "telegram:7")).isEmpty();
            assertThat(ReplyText.notification(cancelled, "cli")).contains("Task " + id + " cancelled: sleep 100");
        }

        @Test
        void logGivesTheOutputOrSaysThereIsNone() throws Exception {
            TaskId id = bg("make all");
            processOf(id);

            assertThat(ok("/task " + id + " log").text()).contains("no output yet");

            processes.output(id, "stdout:\nline 1\nline 2");
            assertThat(ok("/task " + id + " log").text()).startsWith("stdout:\nline 1\nline 2\n");
            assertThat(ok("/task " + id + " logs").text()).contains("line 2");
        }

        @Test
        void logSaysWhereTheWholeLogIs() throws Exception {
            TaskId id = bg("make all");
            processOf(id);
            String whole = "Whole log: " + Path.of("tasks", id + ".out.log") + " and " + Path.of("tasks", id + ".err.log");

            assertThat(ok("/task " + id + " log").text()).isEqualTo("Task " + id + " has no output yet.\n" + whole);
            processes.output(id, "stdout:\nline 1\n");
            assertThat(ok("/task " + id + " log").text()).isEqualTo("stdout:\nline 1\n" + whole);
        }

        @Test
        void logTakesNoWordButMinusF() {
            TaskId id = bg("sleep 100");

            assertThat(refused("/task " + id + " log extra").text()).contains("Usage: /task <id> log [-f]");
            assertThat(refused("/task " + id + " log -f now").text()).contains("Usage: /task <id> log [-f]");
        }

        @Test
        void followingWhereNoTextCanBeShownBeforeTheReplyGivesTheOutputSoFarAndSaysSo() throws Exception {
            TaskId id = bg("make all");
            processOf(id);
            processes.output(id, "stdout:\ncompiling\n");

            Reply reply = ok("/task " + id + " log -f");

            assertThat(reply.text()).startsWith("stdout:\ncompiling\nWhole log: ")
                    .endsWith("(Following the output as it comes works in the terminal; this is the output so far.)");
        }

        @Test
        void followingShowsNewOutputAsItComesUntilTheTaskEnds() throws Exception {
            TaskId id = bg("make all");
            FakeProcess process = processOf(id);
            processes.write(id, "before\n", "");
            List<String> shown = new CopyOnWriteArrayList<>();

            CompletableFuture<Reply> following = CompletableFuture.supplyAsync(
                    () -> interpreter.handle("cli", "/task " + id + " log -f", shown::add));
            Eventually.await("following begins", () -> !shown.isEmpty());
            processes.write(id, "compiling 1\ncompil", "warning: x\n");
            Eventually.await("the new lines are shown", () -> String.join("\n", shown).contains("warning: x"));
            assertThat(following).isNotDone();
            processes.write(id, "ing 2\n", "");
            process.finish(0, "compiling 1\ncompiling 2\n", "warning: x\n");

            Reply reply = following.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertThat((reply instanceof Reply.Error)).isFalse();
            assertThat(reply.text()).startsWith("Task " + id + " · process · completed · ");
            assertThat(String.join("\n", shown)).isEqualTo("""
                    stdout:
                    before
                    Following task %1$s until it ends (Ctrl-C stops following; the task goes on).
                    Whole log: %2$s and %3$s
                    stdout:
                    compiling 1
                    stderr:
                    warning: x
                    stdout:
                    compiling 2""".formatted(id, Path.of("tasks", id + ".out.log"), Path.of("tasks", id + ".err.log")));
        }

        @Test
        void followingEndsWithWhyTheTaskFailedAndShowsTheLastLineEvenUnfinished() throws Exception {
            TaskId id = bg("make all");
            FakeProcess process = processOf(id);
            List<String> shown = new CopyOnWriteArrayList<>();
            CompletableFuture<Reply> following = CompletableFuture.supplyAsync(
                    () -> interpreter.handle("cli", "/task " + id + " log -f", shown::add));
            Eventually.await("following begins", () -> !shown.isEmpty());

            processes.write(id, "", "fatal: no makefile");
            process.finish(2, "", "fatal: no makefile");

            Reply reply = following.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(reply.text()).startsWith("Task " + id + " · process · failed · ").endsWith("\nExit code 2");
            assertThat(shown).last().isEqualTo("stderr:\nfatal: no makefile");
        }

        @Test
        void followingStopsWhenItsThreadIsInterruptedAndTheTaskGoesOn() throws Exception {
            TaskId id = bg("sleep 100");
            processOf(id);
            List<String> shown = new CopyOnWriteArrayList<>();
            CompletableFuture<Reply> reply = new CompletableFuture<>();
            Thread follower = Thread.ofPlatform().start(
                    () -> reply.complete(interpreter.handle("cli", "/task " + id + " log -f", shown::add)));
            Eventually.await("following begins", () -> !shown.isEmpty());

            follower.interrupt();

            assertThat(reply.get(LIMIT.toSeconds(), TimeUnit.SECONDS).text())
                    .isEqualTo("Stopped following task " + id + "; it goes on. /task " + id + " log -f follows it again.");
            assertThat(stored(id).status()).isEqualTo(TaskStatus.RUNNING);
        }

        @Test
        void followingAFloodShowsWhatItCanAndSaysHowMuchItLeftOut() throws Exception {
            TaskId id = bg("yes");
            FakeProcess process = processOf(id);
            List<String> shown = new CopyOnWriteArrayList<>();
            CompletableFuture<Reply> following = CompletableFuture.supplyAsync(
                    () -> interpreter.handle("cli", "/task " + id + " log -f", shown::add));
            Eventually.await("following begins", () -> !shown.isEmpty());

            processes.write(id, "y\n".repeat(100_000) + "end\n", "");
            process.finish(0, "end\n", "");

            following.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            String text = String.join("\n", shown.subList(1, shown.size()));
            int left = 200_004 - CommandInterpreter.FOLLOW_CHUNK_BYTES;
            assertThat(text).startsWith("stdout:\n[… " + left + " bytes left out]\ny\n").endsWith("\ny\nend");
            assertThat(text.length()).isLessThan(CommandInterpreter.FOLLOW_CHUNK_BYTES + 100);
        }

        @Test
        void followingAFinishedTaskGivesItsLogAndHowItEnded() throws Exception {
            TaskId id = finishedTask("make all", 3);
            processes.output(id, "stderr:\nerr of make all\n");
            List<String> shown = new CopyOnWriteArrayList<>();

            Reply reply = interpreter.handle("cli", "/task " + id + " log -f", shown::add);

            assertThat(reply.text()).startsWith("stderr:\nerr of make all\nWhole log: ")
                    .endsWith("\nTask " + id + " · process · failed · 0s\nExit code 3");
            assertThat(shown).isEmpty();
        }

        @Test
        void onlyAProcessTaskCanBeFollowed() {
            agents.enqueue(escalate("Which database?"));
            engine.dispatch(DispatchTask.Agent.of("migrate"));
            TaskId id = newest().id();

            Reply reply = interpreter.handle("cli", "/task " + id + " log -f", text -> { });

            assertThat((reply instanceof Reply.Error)).isTrue();
            assertThat(reply.text()).contains("agent task");
        }

        @Test
        void retryOfATaskThatHasNotFinishedIsRefused() throws Exception {
            TaskId id = bg("sleep 100");
            processOf(id);

            assertThat(refused("/task " + id + " retry").text()).contains(id.value()).contains("running");
            assertThat(refused("/task " + id + " retry twice").text()).contains("Usage");
        }

        @Test
        void retryOfAFinishedTaskDispatchesItAgain() throws Exception {
            TaskId id = finishedTask("make all", 2);

            Reply reply = ok("/task " + id + " retry");

            Task retry = newest();
            assertThat(retry.id()).isNotEqualTo(id);
            assertThat(retry.parentId()).contains(id);
            assertThat(reply.text()).contains(id.value()).contains(retry.id().value());
            assertThat(ok("/task " + retry.id()).text()).contains("Attempt:  2").contains(id.value());
        }

        @Test
        void followUpNeedsAnInstruction() throws Exception {
            TaskId id = finishedTask("echo hi", 0);

            assertThat(refused("/task " + id + " followup").text()).contains("followup <instruction>");
        }

        @Test
        void followUpOfAFinishedTaskDispatchesAnAgentTask() throws Exception {
            agents.whenUnscripted(complete("done"));
            TaskId id = finishedTask("echo hi", 0);

            Reply reply = ok("/task " + id + " followup now say bye");

            Task followUp = newest();
            assertThat(reply.text()).contains(id.value()).contains(followUp.id().value());
            assertThat(followUp.spec().summary()).contains("echo hi").contains("now say bye");
            assertThat(refused("/task " + bg("sleep 1") + " follow-up go").text()).contains("not finished");
        }
    }

    @Nested
    class Waiting {

        @Test
        void withNothingToWaitForItSaysSo() {
            assertThat(ok("/wait").text()).contains("No tasks to wait for");
        }

        @Test
        void waitingForEveryTaskTalliesThemAndNamesThePausedOnes() throws Exception {
            agents.enqueue(escalate("Which one?"));
            engine.dispatch(DispatchTask.Agent.of("choose"));
            TaskId paused = newest().id();
            Eventually.await("the task pauses", () -> stored(paused).status() == TaskStatus.PAUSED);
            TaskId process = bg("make all");

            CompletableFuture<Reply> waiting = CompletableFuture.supplyAsync(() -> interpreter.handle("cli", "/wait"));
            processOf(process).finish(0, "built", "");

            Reply reply = waiting.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertThat((reply instanceof Reply.Error)).isFalse();
            assertThat(reply.text()).contains("1 paused").contains("1 completed").contains(paused.value());
        }

        @Test
        void theTallyCountsOnlyTheTasksOfThisRun() throws Exception {
            TaskId old = finishedTask("echo old", 0);
            TaskId oldFailure = finishedTask("echo bad", 2);
            restart();
            processes.exitAtOnceWith(new ProcessExit(0, "ok", ""));

            TaskId id = bg("echo new");

            Reply reply = ok("/wait");
            assertThat(reply.text()).isEqualTo("All tasks are done: 1 completed.");
            assertThat(store.find(old)).isPresent();
            assertThat(store.find(oldFailure)).isPresent();
            assertThat(stored(id).status()).isEqualTo(TaskStatus.COMPLETED);
        }

        @Test
        void theTallyCountsTheTasksPickedUpAtStartButNotThoseLeftAsTheyWere() throws Exception {
            Instant earlier = clock.instant().minus(Duration.ofHours(1));
            Task queued = Task.dispatch(TaskId.of("queued01"), ProcessSpec.of("echo queued", workingDirectory), earlier);
            Task running = applied(Task.dispatch(TaskId.of("running1"), ProcessSpec.of("echo running", workingDirectory),
                    earlier).start(earlier.plusSeconds(1)));
            Task paused = applied(applied(Task.dispatch(TaskId.of("paused01"), AgentSpec.of("ask", workingDirectory),
                    earlier).start(earlier.plusSeconds(1))).pause("Which one?", earlier.plusSeconds(2),
                    EscalationPolicy.DEFAULT));
            TaskId finished = finishedTask("echo old", 0);
            List.of(queued, running, paused).forEach(store::save);
            processes.adoptEnded(running.id(), new ProcessExit(3, "", "broke"));
            processes.exitAtOnceWith(new ProcessExit(0, "ok", ""));

            restart();

            assertThat(ok("/wait").text()).isEqualTo("All tasks are done: 1 completed, 1 failed.");
            assertThat(store.find(finished).orElseThrow().status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(stored(paused.id()).status()).isEqualTo(TaskStatus.PAUSED);
        }

        @Test
        void afterARestartWithOnlyOldTasksThereIsNothingToWaitFor() throws Exception {
            finishedTask("echo old", 0);
            restart();

            assertThat(ok("/wait").text()).isEqualTo("No tasks to wait for.");
        }

        @Test
        void waitingForOneTaskBlocksUntilItIsDone() throws Exception {
            TaskId id = bg("make all");
            FakeProcess process = processOf(id);

            CompletableFuture<Reply> waiting = CompletableFuture.supplyAsync(
                    () -> interpreter.handle("cli", "/wait " + id.value().substring(0, 5)));
            assertThat(waiting).isNotDone();
            process.finish(4, "", "linker error");

            Reply reply = waiting.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertThat((reply instanceof Reply.Error)).isFalse();
            assertThat(reply.text()).contains(id.value()).contains("failed").contains("Exit code 4");
        }

        @Test
        void waitingForATaskThatPausesReturnsWithItsQuestion() throws Exception {
            // a paused task waits on a person, who may be this very user: /wait must not hold the
            // console until someone answers, as /wait for every task does not
            agents.enqueue(ScriptedAgentRunner.Step.blockUntilInterrupted());
            TaskId blocker = ids.next();
            ids.thenGive(blocker.value());
            engine.dispatch(DispatchTask.Agent.of("hold a worker"));
            TaskId id = ids.next();
            ids.thenGive(id.value());
            agents.script(id, escalate("Which database?"));
            engine.dispatch(DispatchTask.Agent.of("migrate"));

            CompletableFuture<Reply> waiting = CompletableFuture.supplyAsync(() -> interpreter.handle("cli", "/wait " + id));

            Reply reply = waiting.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertThat((reply instanceof Reply.Error)).isFalse();
            assertThat(reply.text()).contains(id.value()).contains("paused").contains("Which database?")
                    .contains("/task " + id + " resume");
            assertThat(ok("/wait " + id).text()).contains("Which database?");
            assertThat(stored(blocker).status()).isEqualTo(TaskStatus.RUNNING);
        }

        @Test
        void waitingForATaskWithAHugeResultShowsOnlyItsEnd() throws Exception {
            TaskId id = bg("yes | tr -d '\\n'");
            processOf(id).finish(0, "y".repeat(5_000_000) + "\nthe last line", "");
            engine.awaitFinal(id, LIMIT);

            String text = ok("/wait " + id).text();

            assertThat(text.length()).isLessThan(2 * CommandInterpreter.SHOW_MAX_CHARS);
            assertThat(text).contains(" · completed · ").contains("\n…\nyyy").endsWith("y\nthe last line");
        }

        @Test
        void aPausedTaskEndsTheWaitWithAQuestion() throws Exception {
            TaskId id = ids.next();
            ids.thenGive(id.value());
            agents.script(id, escalate("Which database?"));
            engine.dispatch(DispatchTask.Agent.of("migrate"));

            Reply reply = ok("/wait " + id);

            assertThat(reply).isInstanceOfSatisfying(Reply.Question.class, question -> {
                assertThat(question.task().id()).isEqualTo(id.value());
                assertThat(question.question()).isEqualTo("Which database?");
                assertThat(question.actions()).contains(TaskSubcommand.RESUME, TaskSubcommand.CANCEL);
            });
        }

        @Test
        void aBoundedWaitAnswersWithTheStateOfTheTaskWhenItIsNotDoneInTime() throws Exception {
            TaskId id = bg("sleep 100");
            processOf(id);

            Reply reply = interpreter.handle("telegram:42", "/wait " + id, Duration.ofMillis(300));

            assertThat(reply).isInstanceOf(Reply.Text.class);
            assertThat(reply.text()).startsWith("Task " + id + " · process · running · ").contains("Not done yet");
            assertThat(stored(id).status()).isEqualTo(TaskStatus.RUNNING);
        }

        @Test
        void aBoundedWaitForEveryTaskSaysWhatIsLeft() throws Exception {
            processOf(bg("sleep 100"));
            finishedTask("echo done", 0);

            Reply reply = interpreter.handle("telegram:42", "/wait", Duration.ZERO);

            assertThat(reply.text()).isEqualTo("Not all tasks are done yet: 1 running, 1 completed."
                    + " Each one is told when it ends.");
        }

        @Test
        void aBoundedWaitForATaskThatEndsInTimeIsAnOrdinaryWait() throws Exception {
            TaskId id = bg("echo hi");
            processOf(id).finish(0, "hi\n", "");

            Reply reply = interpreter.handle("telegram:42", "/wait " + id, LIMIT);

            assertThat(reply.text()).contains(" · completed · ").endsWith("hi");
        }

        @Test
        void waitTakesAtMostOneId() {
            assertThat(refused("/wait a b").text()).contains("Usage: /wait");
            assertThat(refused("/wait zzzz").text()).contains("'zzzz'");
        }
    }

    @Nested
    class Cleaning {

        @Test
        void cleanRemovesTheFinishedTasksAndSaysHowMany() throws Exception {
            TaskId good = finishedTask("echo good", 0);
            TaskId bad = finishedTask("echo bad", 3);
            TaskId running = bg("sleep 100");
            processOf(running);

            assertThat(ok("/clean").text()).isEqualTo("Removed 2 finished tasks.");

            assertThat(store.list()).extracting(Task::id).containsExactly(running);
            assertThat(processes.deletedFiles()).containsExactlyInAnyOrder(good, bad);
            assertThat(refused("/task " + good).text()).contains("No task matches");
            assertThat(ok("/clean").text()).isEqualTo("Nothing to clean.");
        }

        @Test
        void oneTaskIsSaidInTheSingular() throws Exception {
            finishedTask("echo one", 0);

            assertThat(ok("/clean completed").text()).isEqualTo("Removed 1 finished task.");
        }

        @Test
        void aStatusSelectsTheTasks() throws Exception {
            TaskId good = finishedTask("echo good", 0);
            TaskId bad = finishedTask("echo bad", 3);

            assertThat(ok("/clean FAILED").text()).isEqualTo("Removed 1 finished task.");

            assertThat(store.list()).extracting(Task::id).containsExactly(good);
            assertThat(processes.deletedFiles()).containsExactly(bad);
        }

        @ParameterizedTest
        @ValueSource(strings = {"dispatched", "running", "paused", "resumed"})
        void aStatusOfUnfinishedTasksIsRefusedWithWhy(String status) throws Exception {
            TaskId running = bg("sleep 100");
            processOf(running);

            Reply reply = refused("/clean " + status);

            assertThat(reply.text()).contains("Cannot clean " + status + " tasks")
                    .contains("only finished tasks (completed, failed or cancelled)");
            assertThat(store.list()).extracting(Task::id).containsExactly(running);
        }

        @Test
        void olderThanKeepsTheTasksThatFinishedLessThanThatManyDaysAgo() throws Exception {
            TaskId old = finishedTask("echo old", 0);
            clock.advance(Duration.ofDays(3));
            TaskId recent = finishedTask("echo recent", 0);
            clock.advance(Duration.ofDays(1));

            assertThat(ok("/clean --older-than 2").text()).isEqualTo("Removed 1 finished task.");
            assertThat(store.list()).extracting(Task::id).containsExactly(recent);
            assertThat(processes.deletedFiles()).containsExactly(old);

            assertThat(ok("/clean --older-than=2").text()).isEqualTo("Nothing to clean.");
            assertThat(ok("/clean --older-than 0 completed").text()).isEqualTo("Removed 1 finished task.");
        }

        @Test
        void aCancelledTaskStillStoppingIsLeftAndSaidSo() throws Exception {
            CountDownLatch turnEnds = new CountDownLatch(1);
            agents.enqueue(task -> {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException cancelled) {
                    turnEnds.await(); // the turn in progress goes on until it is over
                }
                return new AgentRunner.Outcome.Stopped();
            });
            engine.dispatch(DispatchTask.Agent.of("long turn"));
            TaskId id = newest().id();
            Eventually.await("the agent runs", () -> agents.isRunning(id));
            ok("/task " + id + " cancel");

            assertThat(ok("/clean").text())
                    .isEqualTo("Nothing to clean. 1 finished task is still stopping; /clean again in a moment removes it.");

            turnEnds.countDown();
            assertThat(engine.awaitCancelledStopped(LIMIT)).isTrue();
            assertThat(ok("/clean").text()).isEqualTo("Removed 1 finished task.");
        }

        @ParameterizedTest
        @ValueSource(strings = {"abc", "-1", "1.5", "36501", "99999999999", "99999999999999999999", "+3", "0x10"})
        void olderThanTakesAWholeNumberOfDaysInRange(String days) {
            String text = refused("/clean --older-than " + days).text();

            assertThat(text).contains("DAYS is a whole number from 0 to 36500, not '" + days + "'")
                    .contains("Usage: /clean");
            assertThat(refused("/clean --older-than=" + days).text()).contains("not '" + days + "'");
        }

        @Test
        void malformedCleansGetTheUsageAndRemoveNothing() throws Exception {
            finishedTask("echo one", 0);

            assertThat(refused("/clean bogus").text()).contains("Unknown status 'bogus'")
                    .contains("Usage: /clean [completed | failed | cancelled] [--older-than DAYS]");
            assertThat(refused("/clean --older-than").text()).contains("needs a number of days");
            assertThat(refused("/clean --older-than=").text()).contains("not ''");
            assertThat(refused("/clean --verbose").text()).contains("Unknown option '--verbose'");
            assertThat(refused("/clean failed completed").text()).startsWith("Usage: /clean");
            assertThat(refused("/clean --older-than 1 --older-than 2").text()).contains("twice");

            assertThat(store.list()).hasSize(1);
        }
    }

    @Nested
    class FreeText {

        @Test
        void withoutASupervisorItSaysWhatToSet() {
            Reply reply = refused("please run the tests");

            assertThat(reply.text()).isEqualTo(NoSupervisorChat.REASON);
            assertThat(store.list()).isEmpty();
        }

        @Test
        void withASupervisorItGivesItsReply() {
            List<String> heard = new CopyOnWriteArrayList<>();
            SupervisorChat chat = (channel, message) -> {
                heard.add(channel + "|" + message);
                return "On it: " + message;
            };
            CommandInterpreter withChat = CommandInterpreter.over(engine, new FakeAgentTranscripts(), chat, clock);

            Reply reply = withChat.handle("telegram:42", "  please run the tests  ");

            assertThat((reply instanceof Reply.Error)).isFalse();
            assertThat(reply.text()).isEqualTo("On it: please run the tests");
            assertThat(heard).containsExactly("telegram:42|please run the tests");
        }

        @Test
        void aSupervisorThatFailsGivesAnErrorReplyNotAnException() {
            SupervisorChat broken = (channel, message) -> {
                throw new IllegalStateException("model overloaded");
            };
            CommandInterpreter withChat = CommandInterpreter.over(engine, new FakeAgentTranscripts(), broken, clock);

            Reply reply = withChat.handle("cli", "hello");

            assertThat((reply instanceof Reply.Error)).isTrue();
            assertThat(reply.text()).contains("model overloaded");
        }

        /** A supervisor that answers in the given pieces, as a streaming model does. */
        private SupervisorChat streaming(String... pieces) {
            return new SupervisorChat() {
                @Override
                public String reply(String channel, String message) {
                    return String.join("", pieces);
                }

                @Override
                public String reply(String channel, String message, Consumer<String> partial) {
                    for (String piece : pieces) {
                        if (Thread.currentThread().isInterrupted()) {
                            break;
                        }
                        partial.accept(piece);
                        if (piece.contains("!")) {
                            Thread.currentThread().interrupt(); // as Ctrl-C would, mid-answer
                        }
                    }
                    return String.join("", pieces);
                }
            };
        }

        @Test
        void whereTextCanBeShownAsItComesTheAnswerStreamsInWholeLines() {
            CommandInterpreter withChat = CommandInterpreter.over(engine, new FakeAgentTranscripts(),
                    streaming("Two th", "ings:\n- one", "\n- two\nAnd", " that is all."), clock);
            List<String> shown = new ArrayList<>();

            Reply reply = withChat.handle("cli", "what is left?", shown::add);

            assertThat(shown).containsExactly("Two things:", "- one\n- two");
            assertThat(reply.text()).isEqualTo("And that is all.");
        }

        @Test
        void anAnswerShownWholeAsItCameLeavesAnEmptyReply() {
            CommandInterpreter withChat = CommandInterpreter.over(engine, new FakeAgentTranscripts(),
                    streaming("Done.\n"), clock);
            List<String> shown = new ArrayList<>();

            Reply reply = withChat.handle("cli", "done?", shown::add);

            assertThat(shown).containsExactly("Done.");
            assertThat(reply).isEqualTo(Reply.text(""));
        }

        @Test
        void anInterruptedAnswerSaysItStopped() {
            CommandInterpreter withChat = CommandInterpreter.over(engine, new FakeAgentTranscripts(),
                    streaming("Counting: 1", " 2 !", " 3", " 4\n"), clock);
            List<String> shown = new ArrayList<>();

            Reply reply = withChat.handle("cli", "count", shown::add);
            Thread.interrupted();

            assertThat(shown).isEmpty();
            assertThat(reply.text()).isEqualTo("Counting: 1 2 !\n(Stopped.)");
        }

        @Test
        void withoutAWayToShowTextAsItComesTheAnswerIsWhole() {
            CommandInterpreter withChat = CommandInterpreter.over(engine, new FakeAgentTranscripts(),
                    streaming("Two th", "ings\nhere"), clock);

            assertThat(withChat.handle("telegram:1", "what?").text()).isEqualTo("Two things\nhere");
        }
    }

    @Nested
    class EveryCommandOfTheHelp {

        /** The command column of every help line, such as {@code /task <id> resume <answer>}. */
        static Stream<String> helpCommands() {
            return CommandInterpreter.HELP.lines()
                    .filter(line -> line.startsWith("  /"))
                    .map(line -> line.strip().split("\\s{2,}")[0])
                    .flatMap(commands -> Stream.of(commands.split(", ")));
        }

        @Test
        void theHelpHasTheCommandsOfTheDesign() {
            assertThat(helpCommands()).hasSize(14);
        }

        @ParameterizedTest
        @MethodSource("helpCommands")
        void answersItFilledInAndAsWrittenWithoutThrowing(String template) throws Exception {
            processes.exitAtOnceWith(new ProcessExit(0, "ok", ""));
            agents.whenUnscripted(complete("done"));
            TaskId finished = finishedTaskAtOnce();
            String filled = template
                    .replace("[--timeout S]", "--timeout 5")
                    .replace("[--]", "--")
                    .replace("<command>", "echo 'hello  world'")
                    .replace("[--name NAME]", "--name default")
                    .replace("<prompt>", "summarise the README")
                    .replace("[status]", "completed")
                    .replace("[--older-than DAYS]", "--older-than 1")
                    .replace("[id]", finished.value())
                    .replace("<id>", finished.value())
                    .replace("<answer>", "yes")
                    .replace("<instruction>", "do it again");

            List<Reply> replies = new ArrayList<>();
            for (String line : List.of(filled, template, template.replaceAll("\\s.*", ""),
                    template.replace("<id>", finished.value()), filled + " extra words", filled.toUpperCase())) {
                replies.add(handle(line));
            }

            assertThat(replies).hasSize(6).doesNotContainNull();
            assertThat(engine.awaitAllSettled(LIMIT)).isTrue();
        }

        private TaskId finishedTaskAtOnce() throws Exception {
            TaskId id = bg("echo first");
            engine.awaitFinal(id, LIMIT);
            return id;
        }
    }
}
