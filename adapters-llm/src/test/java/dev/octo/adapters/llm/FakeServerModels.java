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

    /** The OpenAI models of the OpenAI-compatible server at {@code baseUrl}. */
    public static ChatModels openAi(String baseUrl) {
        ChatModelsSetup setup = ProviderChatModels.from(new LlmSettings(Optional.of("openai"), Optional.of("fake-model"),
                Optional.empty(), Optional.empty(), Optional.of("test-key"), Optional.of(baseUrl), Optional.empty()));
        if (setup instanceof ChatModelsSetup.Ready ready) {
            return ready.models();
        }
        throw new AssertionError("the fake server's settings were refused: " + setup);
    }
}
