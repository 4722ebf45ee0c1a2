package dev.octo.adapters.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.octo.adapters.llm.fake.Answer;
import dev.octo.adapters.llm.fake.FakeLlmServer;
import dev.octo.adapters.llm.fake.RecordedRequest;
import dev.octo.application.fakes.Eventually;
import dev.octo.application.fakes.FakeProcessRunner;
import dev.octo.application.fakes.InMemoryConversationStore;
import dev.octo.application.fakes.InMemorySupervisorConversationStore;
import dev.octo.application.fakes.InMemoryTaskStore;
import dev.octo.application.fakes.MutableClock;
import dev.octo.application.fakes.RecordingNotifier;
import dev.octo.application.fakes.ScriptedAgentRunner;
import dev.octo.application.fakes.SequentialTaskIds;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.out.SupervisorUnavailableException;
import dev.octo.application.service.EngineSettings;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.AgentSpec;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.application.port.in.TaskNotice;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import dev.octo.domain.TimeoutPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The supervisor through the real OpenAI client against a scripted fake server, with a real task
 * engine on the application's fakes.
 */
class LangChain4jSupervisorChatTest {

    private static final Duration LIMIT = Eventually.DEFAULT_LIMIT;

    @TempDir
    Path workingDirectory;

    private final FakeLlmServer server = FakeLlmServer.start(FakeLlmServer.Protocol.OPENAI);
    private final InMemorySupervisorConversationStore conversations = new InMemorySupervisorConversationStore();
    private final FakeProcessRunner processes = new FakeProcessRunner();
    private final RecordingNotifier notifier = new RecordingNotifier();
    private TaskEngine engine;
    private LangChain4jSupervisorChat chat;

    @BeforeEach
    void start() {
        engine = new TaskEngine(new InMemoryTaskStore(), new InMemoryConversationStore(),
                () -> List.of("default", "reviewer"), new SequentialTaskIds(), new MutableClock(), processes,
                new ScriptedAgentRunner(), new EngineSettings(2, workingDirectory,
                        new TimeoutPolicy(Duration.ZERO, Duration.ZERO), EscalationPolicy.DEFAULT));
        engine.register(notifier);
        engine.start();
        chat = newChat(LangChain4jSupervisorChat.Limits.DEFAULT);
    }

    @AfterEach
    void stop() {
        engine.close();
        server.close();
    }

    private LangChain4jSupervisorChat newChat(LangChain4jSupervisorChat.Limits limits) {
        return new LangChain4jSupervisorChat(FakeServerModels.openAi(server), conversations, engine, engine, engine,
                () -> List.of(new KnownAgent("default", "a general agent")), workingDirectory, new MutableClock(), limits);
    }

    @Test
    void freeTextDispatchesAProcessTaskThatRunsAndTheUserIsTold() throws Exception {
        server.answerToolCall("dispatch_background", "{\"task_type\":\"process\",\"command\":\"echo tests passed\"}")
                .answerText("I started the test suite in the background.");

        String answer = chat.reply("cli", "run the test suite in the background");

        assertThat(answer).isEqualTo("I started the test suite in the background.");
        List<Task> tasks = engine.list(Optional.empty()).stream()
                .map(entry -> engine.find(entry.id()).orElseThrow()).toList();
        assertThat(tasks).hasSize(1);
        Task task = tasks.getFirst();
        assertThat(task.spec()).isInstanceOfSatisfying(ProcessSpec.class,
                spec -> assertThat(spec.command()).isEqualTo("echo tests passed"));
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().getFirst().toolNames()).containsExactlyInAnyOrder("dispatch_background",
                "list_background_tasks", "get_background_task", "cancel_background_task");
        assertThat(server.lastRequest().messageTexts()).anyMatch(text -> text.contains(task.id().value()));

        processes.awaitProcess(task.id(), LIMIT).finish(0, "tests passed\n", "");

        Eventually.await("the user is told the task completed", LIMIT,
                () -> !notifier.events(TaskNotice.Type.COMPLETED).isEmpty());
        assertThat(notifier.events(TaskNotice.Type.COMPLETED).getFirst().taskId()).isEqualTo(task.id().value());
    }

    static Stream<Arguments> badCalls() {
        return Stream.of(
                Arguments.of("an unknown task_type", "dispatch_background",
                        "{\"task_type\":\"cron\",\"command\":\"ls\"}", "Unknown task_type 'cron'"),
                Arguments.of("a missing task_type", "dispatch_background", "{\"command\":\"ls\"}",
                        "'task_type' is required"),
                Arguments.of("a process without its command", "dispatch_background", "{\"task_type\":\"process\"}",
                        "needs 'command'"),
                Arguments.of("an agent without its prompt", "dispatch_background", "{\"task_type\":\"agent\"}",
                        "needs 'prompt'"),
                Arguments.of("an unknown agent", "dispatch_background",
                        "{\"task_type\":\"agent\",\"prompt\":\"x\",\"agent_name\":\"ghost\"}",
                        "Unknown agent 'ghost'. Known agents: default, reviewer."),
                Arguments.of("a timeout that is not positive", "dispatch_background",
                        "{\"task_type\":\"process\",\"command\":\"ls\",\"timeout\":0}", "'timeout' must be a positive"),
                Arguments.of("a timeout that is not a number", "dispatch_background",
                        "{\"task_type\":\"process\",\"command\":\"ls\",\"timeout\":\"soon\"}",
                        "The arguments could not be read"),
                Arguments.of("a working folder that does not exist", "dispatch_background",
                        "{\"task_type\":\"process\",\"command\":\"ls\",\"cwd\":\"no/such/folder\"}",
                        "'cwd' is not a folder"),
                Arguments.of("an unknown task id", "get_background_task", "{\"task_id\":\"zzzzzzzz\"}",
                        "There is no task 'zzzzzzzz'"),
                Arguments.of("an unknown task id to cancel", "cancel_background_task", "{\"task_id\":\"zzzz\"}",
                        "There is no task 'zzzz'"),
                Arguments.of("an unknown status", "list_background_tasks", "{\"status\":\"sleeping\"}",
                        "Unknown status 'sleeping'"),
                Arguments.of("malformed JSON", "dispatch_background", "{\"task_type\": \"process\", \"command\": ",
                        "The arguments could not be read"),
                Arguments.of("an unknown tool", "delete_everything", "{}",
                        "There is no tool 'delete_everything'. The tools are: "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    void aBadCallGoesBackToTheModelAsAToolErrorItCanCorrect(String what, String tool, String arguments,
            String error) {
        server.answerToolCall(tool, arguments).answerText("Let me fix that.");

        String answer = chat.reply("cli", "do it");

        assertThat(answer).isEqualTo("Let me fix that.");
        assertThat(engine.list(Optional.empty())).isEmpty();
        assertThat(server.lastRequest().messageTexts()).anyMatch(text -> text.contains(error));
    }

    @Test
    void anAgentTaskGetsTheAgentTheLimitsAndTheFolderTheModelAskedFor() throws Exception {
        Files.createDirectories(workingDirectory.resolve("sub"));
        server.answerToolCall("dispatch_background", "{\"task_type\":\"agent\",\"prompt\":\"review the change\","
                + "\"agent_name\":\"reviewer\",\"cwd\":\"sub\",\"timeout\":600,\"max_turns\":7,\"max_tokens\":5000}")
                .answerText("The reviewer is on it.");

        chat.reply("cli", "have the change reviewed");

        Task task = engine.find(engine.list(Optional.empty()).getFirst().id()).orElseThrow();
        assertThat(task.spec()).isInstanceOfSatisfying(AgentSpec.class, spec -> {
            assertThat(spec.prompt()).isEqualTo("review the change");
            assertThat(spec.agentName()).isEqualTo("reviewer");
            assertThat(spec.workingDirectory()).isEqualTo(workingDirectory.resolve("sub"));
            assertThat(spec.timeout().requested()).contains(Duration.ofSeconds(600));
            assertThat(spec.maxTurns()).isEqualTo(7);
            assertThat(spec.maxTokens()).contains(5000L);
        });
    }

    @Test
    void theToolsListGetAndCancelTasks() {
        TaskId id = ((TaskOutcome.Done) engine.dispatch(DispatchTask.Process.of("sleep 100"))).task().id();
        server.answerToolCall("list_background_tasks", "{\"status\":\"running\"}")
                .answerToolCall("get_background_task", "{\"task_id\":\"" + id.value().substring(0, 6) + "\"}")
                .answerToolCall("cancel_background_task", "{\"task_id\":\"" + id + "\"}")
                .answerText("Cancelled it.");
        Eventually.await("the task runs", LIMIT, () -> engine.find(id).orElseThrow().status() == TaskStatus.RUNNING);

        chat.reply("telegram:42", "stop the sleep");

        List<String> texts = server.lastRequest().messageTexts();
        assertThat(texts).anyMatch(text -> text.startsWith(id.value()) && text.contains("sleep 100"));
        assertThat(texts).anyMatch(text -> text.contains("Command: sleep 100"));
        assertThat(texts).anyMatch(text -> text.contains("Cancelled task " + id));
        Eventually.await("the task is cancelled", LIMIT,
                () -> engine.find(id).orElseThrow().status() == TaskStatus.CANCELLED);
        assertThat(notifier.events(TaskNotice.Type.CANCELLED).getFirst().requestedOn()).contains("telegram:42");
    }

    @Test
    void theConversationSurvivesANewInstanceOnTheSameStore() {
        server.answerText("Hello, I am Octo.");
        chat.reply("cli", "who are you?");

        server.answerText("You asked who I am.");
        String answer = newChat(LangChain4jSupervisorChat.Limits.DEFAULT).reply("cli", "what did I ask?");

        assertThat(answer).isEqualTo("You asked who I am.");
        assertThat(server.lastRequest().messageTexts())
                .containsSubsequence("who are you?", "Hello, I am Octo.", "what did I ask?");
    }

    @Test
    void eachChannelHasItsOwnConversation() {
        server.answerText("one").answerText("two");

        chat.reply("cli", "from the terminal");
        chat.reply("telegram:42", "from telegram");

        assertThat(server.lastRequest().messageTexts()).doesNotContain("from the terminal");
        assertThat(conversations.channels()).containsExactlyInAnyOrder("cli", "telegram:42");
    }

    @Test
    void theConversationIsBoundedToItsLastMessages() {
        LangChain4jSupervisorChat bounded = newChat(new LangChain4jSupervisorChat.Limits(4, 8));
        for (int i = 1; i <= 5; i++) {
            server.answerText("answer " + i);
            bounded.reply("cli", "question " + i);
        }

        assertThat(server.lastRequest().messageTexts())
                .containsExactly("question 3", "answer 3", "question 4", "answer 4", "question 5");
        assertThat(ChatMessageDeserializer.messagesFromJson(conversations.load("cli").orElseThrow())).hasSize(4);
    }

    @Test
    void aNoteOfAFinishedTaskIsInTheNextRequest() throws Exception {
        engine.register(new SupervisorNotes(chat));
        server.answerText("Hi.");
        chat.reply("cli", "hello");
        TaskId id = ((TaskOutcome.Done) engine.dispatch(DispatchTask.Process.of("make test"))).task().id();
        processes.awaitProcess(id, LIMIT).finish(1, "", "3 tests failed\n");
        Eventually.await("the task failed", LIMIT, () -> !notifier.events(TaskNotice.Type.FAILED).isEmpty());

        // the notifiers are told one after the other: the note may be saved just after the event is seen
        Eventually.await("the note is saved", LIMIT,
                () -> conversations.load("cli").orElseThrow().contains("Task " + id + " failed"));
        server.answerText("Task " + id + " failed: 3 tests failed.");
        chat.reply("cli", "how did it go?");

        List<String> texts = server.lastRequest().messageTexts();
        assertThat(texts).anyMatch(text -> text.startsWith(SupervisorPrompt.NOTE_PREFIX + " Task " + id + " failed.")
                && text.contains("Objective: make test") && text.contains("3 tests failed"));
        assertThat(texts.getLast()).isEqualTo("how did it go?");
    }

    @Test
    void aNoteKeepsTheEndOfALongResult() {
        server.answerText("Hi.").answerText("Seen.");
        chat.reply("cli", "hello");

        chat.taskFinished("abcd1234", "seq 100000", false, "x".repeat(10_000) + "THE END");
        chat.reply("cli", "and?");

        String note = server.lastRequest().messageTexts().stream()
                .filter(text -> text.startsWith(SupervisorPrompt.NOTE_PREFIX)).findFirst().orElseThrow();
        assertThat(note).contains("Task abcd1234 completed.").endsWith("THE END");
        assertThat(note.length()).isLessThan(SupervisorTools.MAX_RESULT_CHARS + 200);
    }

    @Test
    void theAnswerStreamsInPieces() {
        server.answerText("The tests are running in the background now.");
        List<String> pieces = new CopyOnWriteArrayList<>();

        String answer = chat.reply("cli", "status?", pieces::add);

        assertThat(answer).isEqualTo("The tests are running in the background now.");
        assertThat(pieces).hasSizeGreaterThan(1);
        assertThat(String.join("", pieces)).isEqualTo(answer);
        assertThat(server.lastRequest().streaming()).isTrue();
    }

    @Test
    void aStreamedAnswerCanCallToolsToo() {
        server.answerToolCall("dispatch_background", "{\"task_type\":\"process\",\"command\":\"echo hi\"}")
                .answerText("Started.");
        List<String> pieces = new CopyOnWriteArrayList<>();

        String answer = chat.reply("cli", "say hi in the background", pieces::add);

        assertThat(answer).isEqualTo("Started.");
        assertThat(String.join("", pieces)).isEqualTo("Started.");
        assertThat(engine.list(Optional.empty())).hasSize(1);
    }

    @Test
    void whatTheModelSaysBeforeAndAfterItsToolsStreamsAsOneAnswer() {
        server.answer(new Answer.Reply("Starting it now.", List.of(new Answer.ToolCall("dispatch_background",
                        "{\"task_type\":\"process\",\"command\":\"echo hi\"}")), Answer.Usage.DEFAULT, Duration.ZERO))
                .answerText("It is task 1.");
        List<String> pieces = new CopyOnWriteArrayList<>();

        String answer = chat.reply("cli", "say hi in the background", pieces::add);

        assertThat(answer).isEqualTo("Starting it now.\n\nIt is task 1.");
        assertThat(String.join("", pieces)).isEqualTo(answer);
    }

    @Test
    void interruptingTheCallingThreadStopsAStreamedAnswer() throws Exception {
        server.answerSlowly(Duration.ofSeconds(60), "far too late");
        List<String> pieces = new CopyOnWriteArrayList<>();
        CompletableFuture<String> answer = new CompletableFuture<>();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                answer.complete(chat.reply("cli", "tell me a long story", pieces::add));
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        });
        caller.start();
        server.awaitRequests(1, LIMIT);

        caller.interrupt();

        assertThat(answer.get(LIMIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
        caller.join(LIMIT.toMillis());
        assertThat(interruptedAfter).isTrue();
        assertThat(pieces).isEmpty();
        // the question stays in the conversation: the next answer knows what was asked
        server.answerText("Once upon a time.");
        chat.reply("cli", "go on");
        assertThat(server.lastRequest().messageTexts()).containsSubsequence("tell me a long story", "go on");
    }

    @Test
    void aModelThatDoesNotAnswerIsOneLineForTheUser() {
        server.failWith(401);

        assertThatThrownBy(() -> chat.reply("cli", "hello"))
                .isInstanceOf(SupervisorUnavailableException.class)
                .hasMessageStartingWith("The supervisor could not answer: ")
                .hasMessageContaining("OPENAI_API_KEY")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void preparingSendsNothingToTheModel() {
        chat.prepare();

        assertThat(server.requests()).isEmpty();
        server.answerText("Ready.");
        assertThat(chat.reply("cli", "hello")).isEqualTo("Ready.");
    }

    @Test
    void modelsThatCannotBeBuiltLeaveTheProblemToTheFirstAnswer() {
        ChatModels broken = new ChatModels() {
            @Override
            public dev.langchain4j.model.chat.ChatModel chat(Optional<String> modelName) {
                throw new IllegalStateException("no client today");
            }

            @Override
            public dev.langchain4j.model.chat.StreamingChatModel streaming(Optional<String> modelName) {
                throw new IllegalStateException("no client today");
            }

            @Override
            public String describe() {
                return "broken";
            }
        };
        LangChain4jSupervisorChat brokenChat = new LangChain4jSupervisorChat(broken, conversations, engine, engine,
                engine, () -> List.of(new KnownAgent("default", "a general agent")), workingDirectory, new MutableClock(),
                LangChain4jSupervisorChat.Limits.DEFAULT);

        brokenChat.prepare();

        assertThatThrownBy(() -> brokenChat.reply("cli", "hello"))
                .isInstanceOf(SupervisorUnavailableException.class)
                .hasMessage("The supervisor could not answer: broken failed: no client today");
    }

    @Test
    void theToolRoundsOfOneAnswerAreBounded() {
        LangChain4jSupervisorChat bounded = newChat(new LangChain4jSupervisorChat.Limits(60, 2));
        server.answerToolCall("list_background_tasks", "{}").answerToolCall("list_background_tasks", "{}");

        String answer = bounded.reply("cli", "look forever");

        assertThat(answer).contains("stopped after 2 rounds");
        assertThat(server.requests()).hasSize(2);
        // the call of the last round got a result, so the saved conversation stays valid for a provider
        server.answerText("Done looking.");
        assertThat(bounded.reply("cli", "and now?")).isEqualTo("Done looking.");
        RecordedRequest last = server.lastRequest();
        assertThat(last.messageTexts()).anyMatch(text -> text.contains("Not run: this answer has used its 2 rounds"));
    }
}
