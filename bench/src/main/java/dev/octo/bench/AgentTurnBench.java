package dev.octo.bench;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.octo.adapters.llm.AgentDefinitions;
import dev.octo.adapters.llm.ChatModels;
import dev.octo.adapters.llm.ChatModelsSetup;
import dev.octo.adapters.llm.LangChain4jAgentRunner;
import dev.octo.adapters.llm.LlmSettings;
import dev.octo.adapters.llm.ProviderChatModels;
import dev.octo.adapters.llm.fake.FakeLlmServer;
import dev.octo.adapters.persistence.JsonFileConversationStore;
import dev.octo.adapters.persistence.JsonFileTaskStore;
import dev.octo.adapters.process.LocalCommandRunner;
import dev.octo.adapters.process.LocalProcessRunner;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.service.EngineSettings;
import dev.octo.application.service.RandomTaskIds;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An agent task of N turns (200 by default) against the fake model server, which answers at once:
 * each turn reads a small file, the last one completes. Octo's own time per turn is the time from
 * the end of one model call to the start of the next: running the tool, saving the conversation,
 * recording the turn on the task and building the next request. It prints the median and the
 * spread, and whether the time grows with the turn number (the mean of the first and of the last
 * fifth, and the slope of a least-squares line).
 */
public final class AgentTurnBench {

    public static void main(String[] args) throws Exception {
        int turns = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path dir = Files.createTempDirectory("octo-agent-bench");
        Path octoDir = dir.resolve(".octo");
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("notes.txt"), "a line of notes for the agent to read\n".repeat(20));
        try (FakeLlmServer server = FakeLlmServer.start(FakeLlmServer.Protocol.OPENAI)) {
            for (int i = 1; i < turns; i++) {
                server.answerToolCall("read_file", "{\"path\":\"notes.txt\"}");
            }
            server.answerToolCall("task_complete", "{\"summary\":\"read it " + turns + " times\"}");
            TimedModels models = new TimedModels(((ChatModelsSetup.Ready) ProviderChatModels.from(LlmSettings.from(
                    Map.of("OCTO_LLM_PROVIDER", "openai", "OPENAI_API_KEY", "bench", "OPENAI_BASE_URL",
                            server.baseUrl())))).models());
            Path tasks = octoDir.resolve("tasks");
            JsonFileTaskStore store = new JsonFileTaskStore(tasks);
            JsonFileConversationStore conversations = new JsonFileConversationStore(tasks);
            AgentDefinitions agents = new AgentDefinitions(octoDir.resolve("agents"));
            try (TaskEngine engine = new TaskEngine(store, conversations, agents, new RandomTaskIds(store),
                    Clock.systemDefaultZone(), new LocalProcessRunner(tasks),
                    new LangChain4jAgentRunner(models, conversations, agents, new LocalCommandRunner(), Optional.empty()),
                    EngineSettings.defaults(work))) {
                engine.start();
                long start = System.nanoTime();
                TaskOutcome outcome = engine.dispatch(new DispatchTask.Agent("read the notes " + turns + " times",
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(turns + 1), Optional.empty()));
                Task task = engine.awaitFinal(((TaskOutcome.Done) outcome).task().id(), Duration.ofMinutes(10))
                        .orElseThrow();
                double wallSeconds = Bench.seconds(System.nanoTime() - start);
                report(task, models, wallSeconds, Files.size(tasks.resolve(task.id() + ".conversation.json")));
            }
        } finally {
            Bench.deleteTree(dir);
        }
    }

    private static void report(Task task, TimedModels models, double wallSeconds, long conversationBytes) {
        List<long[]> calls = models.calls;
        double[] octo = new double[calls.size() - 1];
        double[] model = new double[calls.size()];
        for (int i = 0; i < calls.size(); i++) {
            model[i] = (calls.get(i)[1] - calls.get(i)[0]) / 1e6;
            if (i > 0) {
                octo[i - 1] = (calls.get(i)[0] - calls.get(i - 1)[1]) / 1e6;
            }
        }
        System.out.printf("task %s: %s after %d turns (%s), %.2f s in all, conversation %d KiB%n", task.id(),
                task.status().label(), task.usage().turns(), task.result().or(task::error).orElse(""), wallSeconds,
                conversationBytes / 1024);
        System.out.printf("model call (client and fake server): median %.2f ms%n", percentile(model, 50));
        System.out.printf("Octo's own time per turn (tool, conversation save, turn recorded, next request):%n");
        System.out.printf("  median %.2f ms, p90 %.2f ms, max %.2f ms over %d turns%n", percentile(octo, 50),
                percentile(octo, 90), Arrays.stream(octo).max().orElse(0), octo.length);
        int fifth = Math.max(1, octo.length / 5);
        double first = Arrays.stream(octo, 0, fifth).sorted().toArray()[fifth / 2];
        double last = Arrays.stream(octo, octo.length - fifth, octo.length).sorted().toArray()[fifth / 2];
        System.out.printf("  median of the first %d turns %.2f ms, of the last %d turns %.2f ms%n", fifth, first, fifth,
                last);
        System.out.printf("  least-squares slope %.4f ms per turn (%.2f ms over the run)%n", slope(octo),
                slope(octo) * octo.length);
    }

    private static double percentile(double[] values, int percent) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)];
    }

    private static double slope(double[] values) {
        int n = values.length;
        double meanX = (n - 1) / 2.0;
        double meanY = Arrays.stream(values).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < n; i++) {
            covariance += (i - meanX) * (values[i] - meanY);
            variance += (i - meanX) * (i - meanX);
        }
        return variance == 0 ? 0 : covariance / variance;
    }

    /** The provider's models, each chat call timed from its start to its end (nanoTime). */
    private static final class TimedModels implements ChatModels {

        private final ChatModels delegate;
        final List<long[]> calls = new CopyOnWriteArrayList<>();

        TimedModels(ChatModels delegate) {
            this.delegate = delegate;
        }

        @Override
        public ChatModel chat(Optional<String> modelName) {
            ChatModel model = delegate.chat(modelName);
            return new ChatModel() {
                @Override
                public ChatResponse chat(ChatRequest request) {
                    long start = System.nanoTime();
                    ChatResponse response = model.chat(request);
                    calls.add(new long[] {start, System.nanoTime()});
                    return response;
                }
            };
        }

        @Override
        public StreamingChatModel streaming(Optional<String> modelName) {
            return delegate.streaming(modelName);
        }

        @Override
        public String describe() {
            return delegate.describe();
        }
    }
}
