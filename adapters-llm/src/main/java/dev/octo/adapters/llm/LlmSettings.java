package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * The configuration of the model provider, as set in the environment or in {@code .env}; nothing is
 * checked here ({@link ProviderChatModels#from} says what is wrong with it).
 *
 * @param provider {@code OCTO_LLM_PROVIDER}: anthropic, openai or ollama
 * @param model {@code OCTO_LLM_MODEL}, else the provider's default
 * @param anthropicBaseUrl {@code ANTHROPIC_BASE_URL}, for a proxy; Anthropic's own API when empty
 * @param openAiBaseUrl {@code OPENAI_BASE_URL}, for any OpenAI-compatible server; OpenAI's own API when empty
 * @param ollamaBaseUrl {@code OLLAMA_BASE_URL}; {@code http://localhost:11434} when empty
 */
public record LlmSettings(
        Optional<String> provider,
        Optional<String> model,
        Optional<String> anthropicApiKey,
        Optional<String> anthropicBaseUrl,
        Optional<String> openAiApiKey,
        Optional<String> openAiBaseUrl,
        Optional<String> ollamaBaseUrl) {

    public LlmSettings {
        requireNonNull(provider, "provider is null");
        requireNonNull(model, "model is null");
        requireNonNull(anthropicApiKey, "anthropicApiKey is null");
        requireNonNull(anthropicBaseUrl, "anthropicBaseUrl is null");
        requireNonNull(openAiApiKey, "openAiApiKey is null");
        requireNonNull(openAiBaseUrl, "openAiBaseUrl is null");
        requireNonNull(ollamaBaseUrl, "ollamaBaseUrl is null");
    }

    /**
     * The settings among {@code configuration}, a map of variable names to values (the environment
     * and {@code .env}); a blank value counts as not set.
     */
    public static LlmSettings from(Map<String, String> configuration) {
        return new LlmSettings(
                value(configuration, "OCTO_LLM_PROVIDER"),
                value(configuration, "OCTO_LLM_MODEL"),
                value(configuration, "ANTHROPIC_API_KEY"),
                value(configuration, "ANTHROPIC_BASE_URL"),
                value(configuration, "OPENAI_API_KEY"),
                value(configuration, "OPENAI_BASE_URL"),
                value(configuration, "OLLAMA_BASE_URL"));
    }

    private static Optional<String> value(Map<String, String> configuration, String name) {
        return Optional.ofNullable(configuration.get(name)).map(String::strip).filter(value -> !value.isEmpty());
    }
}
