package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.octo.adapters.llm.fake.FakeLlmServer;
import java.time.Duration;
import java.util.Optional;

/** The real OpenAI clients pointed at a {@link FakeLlmServer}, as the supervisor reaches them. */
public final class FakeServerModels implements ChatModels {

    private final FakeLlmServer server;

    public FakeServerModels(FakeLlmServer server) {
        this.server = requireNonNull(server, "server is null");
    }

    @Override
    public ChatModel chat(Optional<String> modelName) {
        return OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key")
                .modelName(modelName.orElse("fake-model")).maxRetries(0).timeout(Duration.ofSeconds(30)).build();
    }

    @Override
    public StreamingChatModel streaming(Optional<String> modelName) {
        return OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key")
                .modelName(modelName.orElse("fake-model")).timeout(Duration.ofSeconds(60)).build();
    }

    @Override
    public String describe() {
        return "openai fake-model";
    }
}
