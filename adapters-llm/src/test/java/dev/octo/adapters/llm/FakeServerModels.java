package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.octo.adapters.llm.fake.FakeLlmServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real OpenAI client of LangChain4j, pointed at a {@link FakeLlmServer}, retrying transient
 * errors three times as a provider's models do. It records the model names it was asked for.
 */
final class FakeServerModels implements ChatModels {

    static final String DEFAULT_MODEL = "fake-model";

    private final FakeLlmServer server;
    private final List<Optional<String>> asked = new CopyOnWriteArrayList<>();

    FakeServerModels(FakeLlmServer server) {
        this.server = requireNonNull(server, "server is null");
    }

    @Override
    public ChatModel chat(Optional<String> modelName) {
        asked.add(modelName);
        return OpenAiChatModel.builder()
                .baseUrl(server.baseUrl())
                .apiKey("test-key")
                .modelName(modelName.orElse(DEFAULT_MODEL))
                .maxRetries(3)
                .timeout(Duration.ofSeconds(60))
                .build();
    }

    @Override
    public StreamingChatModel streaming(Optional<String> modelName) {
        asked.add(modelName);
        return OpenAiStreamingChatModel.builder()
                .baseUrl(server.baseUrl())
                .apiKey("test-key")
                .modelName(modelName.orElse(DEFAULT_MODEL))
                .build();
    }

    @Override
    public String describe() {
        return "openai " + DEFAULT_MODEL;
    }

    List<Optional<String>> asked() {
        return List.copyOf(asked);
    }
}
