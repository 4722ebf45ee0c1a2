package dev.octo.bootstrap;

import dev.octo.application.fakes.FakeAgentTranscripts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.adapters.llm.FakeServerModels;
import dev.octo.adapters.llm.KnownAgent;
import dev.octo.adapters.llm.LangChain4jSupervisorChat;
import dev.octo.adapters.llm.SupervisorNotes;
import dev.octo.adapters.llm.fake.FakeLlmServer;
import dev.octo.adapters.persistence.JsonFileSupervisorConversationStore;
import dev.octo.application.fakes.Eventually;
import dev.octo.application.fakes.RecordingNotifier;
import dev.octo.application.port.in.Reply;
import dev.octo.application.service.CommandInterpreter;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.application.port.in.TaskNotice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor on the real core: free text through the interpreter, the real OpenAI client against
 * the fake LLM server, a real process run by the real runner, the task and the conversation in real
 * files.
 */
class SupervisorOnDiskTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    private final FakeLlmServer server = FakeLlmServer.start(FakeLlmServer.Protocol.OPENAI);

    @AfterEach
    void stopTheServer() {
        server.close();
    }

    @Test
    void freeTextRunsTheTestSuiteInTheBackgroundAndTheSupervisorHearsHowItEnded() throws Exception {
        Path octoDir = folder.resolve(".octo");
        RecordingNotifier user = new RecordingNotifier();
        String taskId;
        try (TaskEngine engine = CoreOnDisk.engine(octoDir, 2)) {
            LangChain4jSupervisorChat supervisor = supervisor(engine, octoDir);
            engine.register(user);
            engine.register(new SupervisorNotes(supervisor));
            engine.start();
            CommandInterpreter interpreter = CommandInterpreter.over(engine, new FakeAgentTranscripts(), supervisor,
                    Clock.systemDefaultZone());
            server.answerToolCall("dispatch_background", "{\"task_type\":\"process\",\"command\":\"echo tests passed\"}")
                    .answerText("The test suite runs in the background; I will tell you how it ends.");

            Reply reply = interpreter.handle("cli", "run the test suite in the background");

            assertThat(reply).isInstanceOf(Reply.Text.class);
            assertThat(reply.text()).isEqualTo("The test suite runs in the background; I will tell you how it ends.");
            List<Task> tasks = engine.list(Optional.empty()).stream()
                    .map(entry -> engine.find(entry.id()).orElseThrow()).toList();
            assertThat(tasks).hasSize(1);
            Task task = tasks.getFirst();
            assertThat(((ProcessSpec) task.spec()).command()).isEqualTo("echo tests passed");
            taskId = task.id().value();

            Eventually.await("the user is told the task completed", LIMIT,
                    () -> !user.events(TaskNotice.Type.COMPLETED).isEmpty());
            TaskNotice completed = user.events(TaskNotice.Type.COMPLETED).getFirst();
            assertThat(completed.taskId()).isEqualTo(task.id().value());
            assertThat(completed.result()).hasValueSatisfying(result -> assertThat(result).contains("tests passed"));
            Eventually.await("the note is on disk", LIMIT, () -> new JsonFileSupervisorConversationStore(
                    octoDir.resolve("supervisor")).load("cli").orElseThrow().contains("Task " + taskId + " completed"));
        }

        // a new Octo on the same folder: the conversation, the note included, comes back from disk
        try (TaskEngine engine = CoreOnDisk.engine(octoDir, 2)) {
            engine.start();
            server.answerText("It passed: tests passed.");

            String answer = supervisor(engine, octoDir).reply("cli", "did the tests pass?");

            assertThat(answer).isEqualTo("It passed: tests passed.");
            assertThat(server.lastRequest().messageTexts())
                    .containsSubsequence("run the test suite in the background",
                            "The test suite runs in the background; I will tell you how it ends.",
                            "did the tests pass?")
                    .anyMatch(text -> text.contains("Task " + taskId + " completed.") && text.contains("tests passed"));
        }
        assertThat(octoDir.resolve("supervisor/cli.json")).isRegularFile();
    }

    @Test
    void octoConfiguredForAProviderAnswersFreeTextAndTellsWhenTheTaskItDispatchedEnds() throws Exception {
        server.answerToolCall("dispatch_background", "{\"task_type\":\"process\",\"command\":\"echo tests passed\"}")
                .answerText("Started the test suite in the background.");
        Files.createDirectories(folder.resolve(".octo/agents/reviewer"));
        Files.writeString(folder.resolve(".octo/agents/reviewer/AGENT.md"),
                "---\nname: reviewer\ndescription: reviews a change and says what to fix\n---\nYou review changes.\n");
        try (InProcessOcto octo = InProcessOcto.start(folder, Map.of("OCTO_LLM_PROVIDER", "openai",
                "OPENAI_BASE_URL", server.baseUrl(), "OPENAI_API_KEY", "test-key", "OCTO_LLM_MODEL", "fake-model"))) {
            octo.send("run the test suite in the background");

            octo.awaitLine(line -> line.equals("Started the test suite in the background."), 0, LIMIT);
            String id = server.lastRequest().messageTexts().stream()
                    .map(DrivenOcto.TASK_ID::matcher).filter(java.util.regex.Matcher::find)
                    .map(matcher -> matcher.group(1)).findFirst()
                    .orElseThrow(() -> new AssertionError("no task id told to the model"));
            octo.awaitLine(line -> line.startsWith("Task " + id + " completed"), 0, LIMIT);
        }
        assertThat(server.requests().getFirst().model()).isEqualTo("fake-model");
        assertThat(server.requests().getFirst().systemPrompt())
                .contains("- default: ").contains("- reviewer: reviews a change and says what to fix");
        assertThat(folder.resolve(".octo/supervisor/cli.json")).isRegularFile();
    }

    private LangChain4jSupervisorChat supervisor(TaskEngine engine, Path octoDir) {
        return new LangChain4jSupervisorChat(FakeServerModels.openAi(server),
                new JsonFileSupervisorConversationStore(octoDir.resolve("supervisor")), engine, engine, engine,
                () -> List.of(new KnownAgent("default", "a general agent")), octoDir.getParent(), Clock.systemDefaultZone(),
                LangChain4jSupervisorChat.Limits.DEFAULT);
    }
}
