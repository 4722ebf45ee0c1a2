package dev.octo.adapters.llm;

import dev.octo.adapters.llm.fake.FakeLlmServer;
import java.util.Optional;

/** The provider's models as Octo builds them from its settings, pointed at a {@link FakeLlmServer}. */
public final class FakeServerModels {

    private FakeServerModels() {
    }

    /** The OpenAI models of {@code server}, which must speak the OpenAI protocol; the model is "fake-model". */
    public static ChatModels openAi(FakeLlmServer server) {
        return openAi(server.baseUrl());
    }

    /** The models of {@code server} through the client of the provider whose protocol it speaks. */
    public static ChatModels of(FakeLlmServer server) {
        Optional<String> url = Optional.of(server.baseUrl());
        LlmSettings settings = switch (server.protocol()) {
            case OPENAI -> new LlmSettings(Optional.of("openai"), Optional.of("fake-model"), Optional.empty(),
                    Optional.empty(), Optional.of("test-key"), url, Optional.empty());
            case ANTHROPIC -> new LlmSettings(Optional.of("anthropic"), Optional.of("fake-model"),
                    Optional.of("test-key"), url, Optional.empty(), Optional.empty(), Optional.empty());
            case OLLAMA -> new LlmSettings(Optional.of("ollama"), Optional.of("fake-model"), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), url);
        };
        return ready(ProviderChatModels.from(settings));
    }

    /** The OpenAI models of the OpenAI-compatible server at {@code baseUrl}. */
    public static ChatModels openAi(String baseUrl) {
        ChatModelsSetup setup = ProviderChatModels.from(new LlmSettings(Optional.of("openai"), Optional.of("fake-model"),
                Optional.empty(), Optional.empty(), Optional.of("test-key"), Optional.of(baseUrl), Optional.empty()));
        return ready(setup);
    }

    private static ChatModels ready(ChatModelsSetup setup) {
        if (setup instanceof ChatModelsSetup.Ready ready) {
            return ready.models();
        }
        throw new AssertionError("the fake server's settings were refused: " + setup);
    }
}
