package dev.octo.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.adapters.llm.AgentDefinitions;
import dev.octo.adapters.llm.ChatModels;
import dev.octo.adapters.llm.ChatModelsSetup;
import dev.octo.adapters.llm.LangChain4jAgentRunner;
import dev.octo.adapters.llm.LlmSettings;
import dev.octo.adapters.llm.ProviderChatModels;
import dev.octo.adapters.llm.fake.FakeLlmServer;
import dev.octo.adapters.llm.fake.RecordedRequest;
import dev.octo.adapters.persistence.JsonFileConversationStore;
import dev.octo.adapters.persistence.JsonFileTaskStore;
import dev.octo.adapters.process.LocalCommandRunner;
import dev.octo.adapters.process.LocalProcessRunner;
import dev.octo.application.fakes.Eventually;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.service.EngineSettings;
import dev.octo.application.service.RandomTaskIds;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import dev.octo.domain.TimeoutPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent tasks end to end: the engine on real files, the agent runner with the real OpenAI client of
 * LangChain4j against a scripted fake server, and real commands.
 */
class AgentTasksTest {

    private static final Duration LIMIT = Duration.ofSeconds(20);
    /** How soon a cancelled agent must have stopped: its model call abandoned, its command killed. */
    private static final Duration CANCEL_LIMIT = Duration.ofSeconds(2);

    @TempDir
    Path root;

    private Path octoDir;
    private Path workingDirectory;
    private final FakeLlmServer server = FakeLlmServer.start(FakeLlmServer.Protocol.OPENAI);
    private final List<TaskEngine> engines = new ArrayList<>();

    @BeforeEach
    void folders() throws Exception {
        octoDir = Files.createDirectories(root.resolve(".octo"));
        workingDirectory = Files.createDirectories(root.resolve("work"));
    }

    @AfterEach
    void close() {
        engines.forEach(TaskEngine::close);
        server.close();
    }

    /** A started engine on the folder, as Octo wires it when a provider is configured. */
    private TaskEngine engine() {
        Path tasks = octoDir.resolve("tasks");
        JsonFileTaskStore store = new JsonFileTaskStore(tasks);
        JsonFileConversationStore conversations = new JsonFileConversationStore(tasks);
        AgentDefinitions agents = new AgentDefinitions(octoDir.resolve("agents"));
        ChatModels models = ((ChatModelsSetup.Ready) ProviderChatModels.from(LlmSettings.from(Map.of(
                "OCTO_LLM_PROVIDER", "openai", "OPENAI_API_KEY", "test-key", "OPENAI_BASE_URL", server.baseUrl()))))
                .models();
        TaskEngine engine = new TaskEngine(store, conversations, agents, new RandomTaskIds(store),
                Clock.systemDefaultZone(), new LocalProcessRunner(tasks),
                new LangChain4jAgentRunner(models, conversations, agents, new LocalCommandRunner(), Optional.empty()),
                new EngineSettings(2, workingDirectory, new TimeoutPolicy(Duration.ZERO, Duration.ZERO),
                        EscalationPolicy.DEFAULT));
        engines.add(engine);
        engine.start();
        return engine;
    }

    private static TaskId dispatchAgent(TaskEngine engine, String prompt) {
        TaskOutcome outcome = engine.dispatch(DispatchTask.Agent.of(prompt));
        assertThat(outcome).isInstanceOf(TaskOutcome.Done.class);
        return ((TaskOutcome.Done) outcome).task().id();
    }

    private static Task awaitStatus(TaskEngine engine, TaskId id, TaskStatus status) {
        Eventually.await(() -> "task " + id + " is " + status + ", it is " + engine.find(id).map(Task::status),
                LIMIT, () -> engine.find(id).map(Task::status).orElse(null) == status);
        return engine.find(id).orElseThrow();
    }

    @Test
    void aQuestionPausesTheTaskAndTheAnswerLetsItComplete() throws Exception {
        server.answerToolCall("escalate_question", "{\"question\":\"Which colour?\"}");
        server.answerToolCall("task_complete", "{\"summary\":\"Painted the shed blue\"}");
        TaskEngine engine = engine();
        TaskId id = dispatchAgent(engine, "paint the shed");

        Task paused = awaitStatus(engine, id, TaskStatus.PAUSED);
        assertThat(paused.question()).contains("Which colour?");
        assertThat(engine.workload().running()).isZero();

        assertThat(engine.resume(id, "blue")).isInstanceOf(TaskOutcome.Done.class);
        Task done = engine.awaitFinal(id, LIMIT).orElseThrow();

        assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(done.result()).contains("Painted the shed blue");
        assertThat(done.usage().turns()).isEqualTo(2);
        assertThat(done.usage().totalTokens()).isEqualTo(30);
        RecordedRequest resumed = server.lastRequest();
        assertThat(resumed.messages().toString()).contains("Which colour?");
        assertThat(resumed.messageTexts()).contains("The user answered: blue");
    }

    @Test
    void aPausedTaskIsAnsweredAfterARestartWithItsWholeConversation() throws Exception {
        server.answerToolCall("list_files", "{}");
        server.answerToolCall("escalate_question", "{\"question\":\"Which colour?\"}");
        server.answerToolCall("task_complete", "{\"summary\":\"Painted the shed blue\"}");
        Files.writeString(workingDirectory.resolve("shed.txt"), "a shed\n");
        TaskEngine first = engine();
        TaskId id = dispatchAgent(first, "paint the shed");
        awaitStatus(first, id, TaskStatus.PAUSED);
        List<String> before = server.lastRequest().messages().stream().map(Object::toString).toList();
        first.close();

        TaskEngine second = engine();
        assertThat(second.find(id).map(Task::status)).contains(TaskStatus.PAUSED);
        second.resume(id, "blue");
        Task done = second.awaitFinal(id, LIMIT).orElseThrow();

        assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(done.result()).contains("Painted the shed blue");
        List<String> after = server.lastRequest().messages().stream().map(Object::toString).toList();
        // every message the model had seen, its question among them, then the answer
        assertThat(after).startsWith(before.toArray(String[]::new));
        assertThat(after.toString()).contains("shed.txt").contains("Which colour?");
        assertThat(server.lastRequest().messageTexts()).contains("The user answered: blue");
        assertThat(done.usage().turns()).isEqualTo(3);
    }

    @Test
    void cancelDuringASlowModelAnswerStopsTheAgent() throws Exception {
        server.answerSlowly(Duration.ofMinutes(5), "too late");
        TaskEngine engine = engine();
        TaskId id = dispatchAgent(engine, "think slowly");
        server.awaitRequests(1, LIMIT);

        assertThat(engine.cancel(id)).isInstanceOf(TaskOutcome.Done.class);

        assertThat(engine.find(id).map(Task::status)).contains(TaskStatus.CANCELLED);
        Eventually.await("the agent stopped", CANCEL_LIMIT, () -> engine.workload().running() == 0);
    }

    @Test
    void cancelDuringACommandKillsItAndEverythingItStarted() throws Exception {
        Path sleep = Files.copy(Path.of(Files.isExecutable(Path.of("/usr/bin/sleep")) ? "/usr/bin/sleep" : "/bin/sleep"),
                root.resolve("sleep-agentcancel"));
        sleep.toFile().setExecutable(true);
        server.answerToolCall("run_command", "{\"command\":\"" + sleep + " 300 & " + sleep + " 300\"}");
        TaskEngine engine = engine();
        TaskId id = dispatchAgent(engine, "wait a long time");
        Eventually.await("the command runs", LIMIT,
                () -> Processes.withMarkerAndDescendants("sleep-agentcancel").stream()
                        .filter(Processes::isRunning).count() >= 2);

        engine.cancel(id);

        assertThat(engine.find(id).map(Task::status)).contains(TaskStatus.CANCELLED);
        Eventually.await(() -> "no process left: " + Processes.withMarkerAndDescendants("sleep-agentcancel"),
                CANCEL_LIMIT, () -> Processes.withMarkerAndDescendants("sleep-agentcancel").stream()
                        .noneMatch(Processes::isRunning));
        Eventually.await("the agent stopped", CANCEL_LIMIT, () -> engine.workload().running() == 0);
        Processes.killAll("sleep-agentcancel");
    }
}
