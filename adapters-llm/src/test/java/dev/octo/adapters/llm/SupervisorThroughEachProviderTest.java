package dev.octo.adapters.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.adapters.llm.fake.FakeLlmServer;
import dev.octo.application.fakes.FakeProcessRunner;
import dev.octo.application.fakes.InMemorySupervisorConversationStore;
import dev.octo.application.fakes.InMemoryTaskStore;
import dev.octo.application.fakes.MutableClock;
import dev.octo.application.fakes.ScriptedAgentRunner;
import dev.octo.application.fakes.SequentialTaskIds;
import dev.octo.application.service.EngineSettings;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TimeoutPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The supervisor's tool loop, its tool errors, its notes and its streaming through each provider's own
 * client (OpenAI, Anthropic, Ollama), each against the fake server speaking that provider's protocol.
 */
class SupervisorThroughEachProviderTest {

    @TempDir
    Path workingDirectory;

    private FakeLlmServer server;
    private TaskEngine engine;
    private final InMemorySupervisorConversationStore conversations = new InMemorySupervisorConversationStore();

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private LangChain4jSupervisorChat supervisorOn(FakeLlmServer.Protocol protocol) {
        server = FakeLlmServer.start(protocol);
        engine = new TaskEngine(new InMemoryTaskStore(), new SequentialTaskIds(), new MutableClock(),
                new FakeProcessRunner(), new ScriptedAgentRunner(), new EngineSettings(2, workingDirectory,
                        new TimeoutPolicy(Duration.ZERO, Duration.ZERO), EscalationPolicy.DEFAULT));
        engine.start();
        return new LangChain4jSupervisorChat(FakeServerModels.of(server), conversations, engine, engine, engine,
                () -> List.of(new KnownAgent("default", "a general agent")), workingDirectory, new MutableClock(),
                LangChain4jSupervisorChat.Limits.DEFAULT);
    }

    @ParameterizedTest
    @EnumSource(FakeLlmServer.Protocol.class)
    void aToolErrorACorrectedCallANoteAndAStreamedAnswer(FakeLlmServer.Protocol protocol) {
        LangChain4jSupervisorChat chat = supervisorOn(protocol);
        server.answerToolCall("dispatch_background", "{\"task_type\":\"shell\",\"command\":\"echo tests passed\"}")
                .answerToolCall("dispatch_background", "{\"task_type\":\"process\",\"command\":\"echo tests passed\"}")
                .answerText("Started the tests.");

        String answer = chat.reply("cli", "run the test suite in the background");

        assertThat(answer).isEqualTo("Started the tests.");
        List<Task> tasks = engine.list(Optional.empty()).stream()
                .map(entry -> engine.find(entry.id()).orElseThrow()).toList();
        assertThat(tasks).singleElement().satisfies(task -> assertThat(((ProcessSpec) task.spec()).command())
                .isEqualTo("echo tests passed"));
        assertThat(server.requests().get(1).messageTexts()).anyMatch(text -> text.contains("Unknown task_type 'shell'"));
        assertThat(server.lastRequest().systemPrompt()).contains("supervisor of Octo").contains("- default: ");

        chat.taskFinished(tasks.getFirst().id().value(), "echo tests passed", false, "tests passed");
        server.answerText("The tests passed, all of them.");
        List<String> pieces = new CopyOnWriteArrayList<>();

        String streamed = chat.reply("cli", "did they pass?", pieces::add);

        assertThat(streamed).isEqualTo("The tests passed, all of them.");
        assertThat(String.join("", pieces)).isEqualTo(streamed);
        assertThat(server.lastRequest().streaming()).isTrue();
        assertThat(server.lastRequest().messageTexts())
                .anyMatch(text -> text.contains("Task " + tasks.getFirst().id() + " completed."))
                .contains("did they pass?");
    }
}
