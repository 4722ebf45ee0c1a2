package dev.octo.adapters.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.octo.adapters.llm.fake.Answer;
import dev.octo.adapters.llm.fake.FakeLlmServer;
import dev.octo.adapters.llm.fake.RecordedRequest;
import dev.octo.application.fakes.InMemoryConversationStore;
import dev.octo.application.port.out.AgentRunner.Outcome;
import dev.octo.application.port.out.AgentRunner.Progress;
import dev.octo.application.port.out.AgentTranscripts;
import dev.octo.application.port.out.CommandRunner;
import dev.octo.domain.AgentSpec;
import dev.octo.domain.AgentUsage;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.Timeout;
import dev.octo.domain.Transition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent loop, through the provider's models ({@link ProviderChatModels}: the real OpenAI client of
 * LangChain4j, with its retries) against a scripted fake server.
 */
class LangChain4jAgentRunnerTest {

    private static final Instant T0 = Instant.parse("2026-03-04T05:06:07Z");

    @TempDir
    Path workingDirectory;
    @TempDir
    Path octoDirectory;

    private final FakeLlmServer server = FakeLlmServer.start(FakeLlmServer.Protocol.OPENAI);
    private final ChatModels models = ((ChatModelsSetup.Ready) ProviderChatModels.from(LlmSettings.from(Map.of(
            "OCTO_LLM_PROVIDER", "openai", "OCTO_LLM_MODEL", "fake-model", "OPENAI_API_KEY", "test-key",
            "OPENAI_BASE_URL", server.baseUrl())))).models();
    private final InMemoryConversationStore conversations = new InMemoryConversationStore();
    private final ScriptedCommands commands = new ScriptedCommands();
    private final List<long[]> turns = new CopyOnWriteArrayList<>();
    private final Progress progress = (input, output) -> turns.add(new long[] {input, output});

    @AfterEach
    void closeServer() {
        server.close();
    }

    private LangChain4jAgentRunner runner(Optional<Long> defaultMaxTokens) {
        return new LangChain4jAgentRunner(models, conversations, new AgentDefinitions(octoDirectory.resolve("agents")),
                commands, defaultMaxTokens);
    }

    private LangChain4jAgentRunner runner() {
        return runner(Optional.empty());
    }

    private Task running(AgentSpec spec) {
        return applied(Task.dispatch(TaskId.of("agnt0001"), spec, T0).start(T0.plusSeconds(1)));
    }

    private Task running(String prompt) {
        return running(AgentSpec.of(prompt, workingDirectory));
    }

    /** {@code task}, paused on {@code question}, answered with {@code answer}, and running again. */
    private static Task answeredAndRunning(Task task, String question, String answer) {
        Task paused = applied(task.pause(question, T0.plusSeconds(10), EscalationPolicy.DEFAULT));
        Task resumed = applied(paused.resume(answer, T0.plusSeconds(20), EscalationPolicy.DEFAULT));
        return applied(resumed.start(T0.plusSeconds(21)));
    }

    private static Task applied(Transition transition) {
        return ((Transition.Applied) transition).task();
    }

    private List<ChatMessage> savedConversation(Task task) {
        return ChatMessageDeserializer.messagesFromJson(conversations.load(task.id()).orElseThrow());
    }

    @Nested
    class Ending {

        @Test
        void taskCompleteCompletesWithItsSummary() {
            server.answerToolCall("task_complete", "{\"summary\":\"All tidy\"}");

            Outcome outcome = runner().run(running("tidy up"), progress);

            assertThat(outcome).isEqualTo(new Outcome.Completed("All tidy"));
            RecordedRequest request = server.lastRequest();
            assertThat(request.systemPrompt()).contains("tidy up").contains("task_complete");
            assertThat(request.messageTexts()).containsExactly("tidy up");
            assertThat(request.toolNames()).containsExactlyInAnyOrder("read_file", "list_files", "search_files",
                    "write_file", "edit_file", "run_command", "task_complete", "escalate_question");
        }

        @Test
        void anAnswerWithoutAToolCallCompletesWithItsText() {
            server.answerText("Nothing needed tidying.");

            assertThat(runner().run(running("tidy up"), progress))
                    .isEqualTo(new Outcome.Completed("Nothing needed tidying."));
        }

        @Test
        void aQuestionEscalatesAndTheAnswerReachesTheModelAsItsResult() {
            server.answerToolCall("escalate_question", "{\"question\":\"Which colour?\"}");
            Task task = running("paint the shed");

            Outcome first = runner().run(task, progress);

            assertThat(first).isEqualTo(new Outcome.Escalated("Which colour?"));
            server.answerToolCall("task_complete", "{\"summary\":\"Painted it blue\"}");
            Outcome second = runner().run(answeredAndRunning(task, "Which colour?", "blue"), progress);

            assertThat(second).isEqualTo(new Outcome.Completed("Painted it blue"));
            RecordedRequest resumed = server.lastRequest();
            assertThat(resumed.body().toString()).contains("Which colour?");
            assertThat(resumed.messageTexts()).contains(LangChain4jAgentRunner.ANSWER_PREFIX + "blue");
            // system, objective, question, answer, completion and its result
            assertThat(savedConversation(task)).hasSize(6);
        }

        @Test
        void theTranscriptShowsTheObjectiveTheModelsTextAndEachToolCallWithItsResult() throws Exception {
            Files.writeString(workingDirectory.resolve("notes.txt"), "buy paint");
            server.answer(Answer.toolCall("read_file", "{\"path\":\"notes.txt\"}"));
            server.answerToolCall("escalate_question", "{\"question\":\"Which colour?\"}");
            Task task = running("paint the shed");
            runner().run(task, progress);

            List<AgentTranscripts.Entry> transcript = new LangChain4jTranscripts(conversations).transcript(task.id());

            assertThat(transcript).containsExactly(
                    new AgentTranscripts.Entry.UserText("paint the shed"),
                    new AgentTranscripts.Entry.ToolCall("read_file", "{\"path\":\"notes.txt\"}", Optional.of("buy paint")),
                    new AgentTranscripts.Entry.ToolCall("escalate_question", "{\"question\":\"Which colour?\"}",
                            Optional.empty()));
            assertThat(new LangChain4jTranscripts(conversations).transcript(TaskId.of("none0001"))).isEmpty();
        }

        @Test
        void eachTurnIsSavedAndToldWithTheTokensTheProviderReported() {
            server.answer(Answer.toolCall("list_files", "{}").withUsage(100, 20));
            server.answer(Answer.toolCall("task_complete", "{\"summary\":\"listed\"}").withUsage(150, 30));

            runner().run(running("list"), progress);

            assertThat(turns).extracting(turn -> turn[0] + "/" + turn[1]).containsExactly("100/20", "150/30");
            assertThat(savedConversation(running("list"))).hasSize(6);
        }
    }

    @Nested
    class Limits {

        @Test
        void pastItsMaxTurnsTheTaskFails() {
            AgentSpec spec = new AgentSpec("list for ever", "default", workingDirectory, 2, Timeout.NONE);
            server.answerToolCall("list_files", "{}").answerToolCall("list_files", "{}");

            assertThat(runner().run(running(spec), progress)).isEqualTo(new Outcome.Failed("max turns (2) exceeded"));
            assertThat(server.requests()).hasSize(2);
        }

        @Test
        void theTurnsOfEarlierRunsCount() {
            AgentSpec spec = new AgentSpec("list for ever", "default", workingDirectory, 2, Timeout.NONE);
            Task task = running(spec).withUsage(AgentUsage.NONE.plusTurn(1, 1), T0.plusSeconds(2));
            server.answerToolCall("list_files", "{}");

            assertThat(runner().run(task, progress)).isEqualTo(new Outcome.Failed("max turns (2) exceeded"));
            assertThat(server.requests()).hasSize(1);
        }

        @Test
        void pastTheTokenBudgetOfTheDispatchTheTaskFails() {
            AgentSpec spec = new AgentSpec("list for ever", "default", workingDirectory, 50, Timeout.NONE,
                    Optional.of(200L));
            server.answer(Answer.toolCall("list_files", "{}").withUsage(100, 20));
            server.answer(Answer.toolCall("list_files", "{}").withUsage(100, 20));

            assertThat(runner(Optional.of(1_000_000L)).run(running(spec), progress))
                    .isEqualTo(new Outcome.Failed("token budget (200) exceeded"));
            assertThat(server.requests()).hasSize(2);
        }

        @Test
        void pastTheConfiguredTokenBudgetTheTaskFails() {
            server.answer(Answer.toolCall("list_files", "{}").withUsage(100, 20));

            assertThat(runner(Optional.of(100L)).run(running("list"), progress))
                    .isEqualTo(new Outcome.Failed("token budget (100) exceeded"));
        }
    }

    @Nested
    class MistakesOfTheModel {

        @Test
        void malformedJsonArgumentsGoBackAsAnErrorItCanCorrect() {
            server.answerToolCall("read_file", "{\"path\": \"notes.txt\"");
            server.answerToolCall("task_complete", "{\"summary\":\"recovered\"}");

            Outcome outcome = runner().run(running("read the notes"), progress);

            assertThat(outcome).isEqualTo(new Outcome.Completed("recovered"));
            assertThat(lastToolResult()).startsWith("Error");
        }

        @Test
        void anUnknownToolGoesBackAsAnErrorNamingTheTools() {
            server.answerToolCall("delete_everything", "{}");
            server.answerToolCall("task_complete", "{\"summary\":\"recovered\"}");

            Outcome outcome = runner().run(running("clean"), progress);

            assertThat(outcome).isEqualTo(new Outcome.Completed("recovered"));
            assertThat(lastToolResult()).startsWith("Error: there is no tool 'delete_everything'")
                    .contains("read_file");
        }

        @Test
        void aPathOutOfTheDirectoryThroughDotDotIsRefused() throws Exception {
            Files.writeString(workingDirectory.getParent().resolve("secret-" + workingDirectory.getFileName()), "s3cr3t");
            server.answerToolCall("read_file", "{\"path\":\"../secret-" + workingDirectory.getFileName() + "\"}");
            server.answerToolCall("task_complete", "{\"summary\":\"refused\"}");

            assertThat(runner().run(running("read"), progress)).isEqualTo(new Outcome.Completed("refused"));
            assertThat(lastToolResult()).contains("outside the task's working directory").doesNotContain("s3cr3t");
        }

        @Test
        void aPathOutOfTheDirectoryThroughASymbolicLinkIsRefused() throws Exception {
            Files.writeString(octoDirectory.resolve("secret.txt"), "s3cr3t");
            Files.createSymbolicLink(workingDirectory.resolve("link"), octoDirectory);
            server.answerToolCall("read_file", "{\"path\":\"link/secret.txt\"}");
            server.answerToolCall("write_file", "{\"path\":\"link/planted.txt\",\"content\":\"x\"}");
            server.answerToolCall("task_complete", "{\"summary\":\"refused\"}");

            assertThat(runner().run(running("read"), progress)).isEqualTo(new Outcome.Completed("refused"));
            assertThat(toolResults()).allSatisfy(result -> assertThat(result)
                    .contains("outside the task's working directory").doesNotContain("s3cr3t"));
            assertThat(octoDirectory.resolve("planted.txt")).doesNotExist();
        }

        private List<String> toolResults() {
            return server.lastRequest().messages().stream()
                    .filter(message -> message.path("role").asText().equals("tool"))
                    .map(message -> message.path("content").asText())
                    .toList();
        }

        private String lastToolResult() {
            List<String> results = toolResults();
            assertThat(results).isNotEmpty();
            return results.get(results.size() - 1);
        }
    }

    @Nested
    class TheProvider {

        @Test
        void answeringFiveHundredThreeTimesThenTwoHundredIsRetried() {
            server.failWith(500, 3).answerToolCall("task_complete", "{\"summary\":\"done at last\"}");

            assertThat(runner().run(running("try"), progress)).isEqualTo(new Outcome.Completed("done at last"));
            assertThat(server.requests()).hasSize(4);
        }

        @Test
        void failingPastItsRetriesFailsTheTaskWithTheReason() {
            server.failWith(500, 4);

            Outcome outcome = runner().run(running("try"), progress);

            assertThat(outcome).isInstanceOf(Outcome.Failed.class);
            assertThat(((Outcome.Failed) outcome).reason()).startsWith("openai failed with a server error, still after 3 retries");
        }

        @Test
        void aSlowAnswerIsAbandonedWhenTheRunIsInterrupted() throws Exception {
            server.answerSlowly(Duration.ofMinutes(5), "too late");
            CompletableFuture<Outcome> outcome = new CompletableFuture<>();
            Thread worker = Thread.ofVirtual().start(() -> outcome.complete(runner().run(running("think"), progress)));
            server.awaitRequests(1, Duration.ofSeconds(10));

            worker.interrupt();

            assertThat(outcome.get(2, TimeUnit.SECONDS)).isEqualTo(new Outcome.Stopped());
            assertThat(conversations.load(TaskId.of("agnt0001"))).isEmpty();
        }

        @Test
        void aCommandInProgressIsStoppedWhenTheRunIsInterrupted() throws Exception {
            server.answerToolCall("run_command", "{\"command\":\"sleep 300\"}");
            CompletableFuture<Outcome> outcome = new CompletableFuture<>();
            Thread worker = Thread.ofVirtual().start(() -> outcome.complete(runner().run(running("wait"), progress)));
            assertThat(commands.started.await(10, TimeUnit.SECONDS)).isTrue();

            worker.interrupt();

            assertThat(outcome.get(2, TimeUnit.SECONDS)).isEqualTo(new Outcome.Stopped());
            assertThat(commands.interrupted).isTrue();
        }
    }

    @Nested
    class AgentDefinitionsReachTheModel {

        @Test
        void anAgentsSystemPromptModelAndToolsAreSent() throws Exception {
            Path folder = Files.createDirectories(octoDirectory.resolve("agents/reviewer"));
            Files.writeString(folder.resolve("AGENT.md"), """
                    ---
                    name: reviewer
                    description: Reviews code without changing it
                    model: review-model
                    tools: [read_file, search_files]
                    ---
                    You are a careful reviewer. Never change a file.
                    """);
            server.answerToolCall("task_complete", "{\"summary\":\"reviewed\"}");
            AgentSpec spec = new AgentSpec("review the parser", "reviewer", workingDirectory, 10, Timeout.NONE);

            assertThat(runner().run(running(spec), progress)).isEqualTo(new Outcome.Completed("reviewed"));

            RecordedRequest request = server.lastRequest();
            assertThat(request.systemPrompt()).startsWith("You are a careful reviewer. Never change a file.")
                    .contains("review the parser");
            assertThat(request.toolNames()).containsExactlyInAnyOrder("read_file", "search_files", "task_complete",
                    "escalate_question");
            assertThat(request.model()).isEqualTo("review-model");
        }

        @Test
        void anAgentThatNamesAnUnknownToolCannotRun() throws Exception {
            Path folder = Files.createDirectories(octoDirectory.resolve("agents/odd"));
            Files.writeString(folder.resolve("AGENT.md"), "---\nname: odd\ntools: read_file, fly\n---\nFly.\n");
            AgentSpec spec = new AgentSpec("fly", "odd", workingDirectory, 10, Timeout.NONE);

            Outcome outcome = runner().run(running(spec), progress);

            assertThat(outcome).isInstanceOf(Outcome.Failed.class);
            assertThat(((Outcome.Failed) outcome).reason()).contains("unknown tools fly");
            assertThat(server.requests()).isEmpty();
        }

        @Test
        void anUnknownAgentFailsNamingTheKnownOnes() {
            AgentSpec spec = new AgentSpec("write", "writer", workingDirectory, 10, Timeout.NONE);

            assertThat(runner().run(running(spec), progress))
                    .isEqualTo(new Outcome.Failed("Unknown agent 'writer'. Known agents: default."));
        }
    }

    /** Commands that block until interrupted, and say so: the real ones run in the process adapter's tests. */
    static final class ScriptedCommands implements CommandRunner {

        final CountDownLatch started = new CountDownLatch(1);
        volatile boolean interrupted;

        @Override
        public CommandResult run(Path workingDirectory, String command, Duration timeout, int maxOutputBytes)
                throws InterruptedException {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted = true;
                throw e;
            }
            return new CommandResult(OptionalInt.of(0), "", 0);
        }
    }
}
