package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models of the provider that {@code OCTO_LLM_PROVIDER} names, built with LangChain4j's own
 * client for it. Each model name is built once and shared: the clients are thread-safe.
 */
public final class ProviderChatModels implements ChatModels {

    /**
     * Retries after the first attempt, on the transient errors (a dropped connection, 429, 5xx), with
     * LangChain4j's backoff: about 0.5 s, 0.75 s and 1.1 s apart.
     */
    static final int MAX_RETRIES = 3;
    /** The longest wait for one answer: a long answer from a slow local model takes minutes. */
    static final Duration TIMEOUT = Duration.ofMinutes(5);
    /** Anthropic requires a limit on the answer, and its client's own (1024) cuts a file an agent writes. */
    static final int ANTHROPIC_MAX_TOKENS = 8192;
    /** Stands for the key of an OpenAI-compatible server that takes none (llama.cpp, LM Studio, vLLM). */
    private static final String NO_KEY = "none";
    private static final int LONGEST_DETAIL = 300;

    /** The providers, with the model each uses when {@code OCTO_LLM_MODEL} is not set. */
    enum Provider {
        ANTHROPIC("claude-sonnet-4-5", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"),
        OPENAI("gpt-4o-mini", "OPENAI_BASE_URL", "OPENAI_API_KEY"),
        OLLAMA("llama3.1", "OLLAMA_BASE_URL", "");

        final String defaultModel;
        final String urlVariable;
        final String keyVariable;

        Provider(String defaultModel, String urlVariable, String keyVariable) {
            this.defaultModel = defaultModel;
            this.urlVariable = urlVariable;
            this.keyVariable = keyVariable;
        }

        String displayName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Provider provider;
    private final String defaultModel;
    private final Optional<String> baseUrl;
    private final String apiKey;
    private final Map<String, ChatModel> chatModels = new ConcurrentHashMap<>();
    private final Map<String, StreamingChatModel> streamingModels = new ConcurrentHashMap<>();

    private ProviderChatModels(Provider provider, String defaultModel, Optional<String> baseUrl, String apiKey) {
        this.provider = requireNonNull(provider, "provider is null");
        this.defaultModel = requireNonNull(defaultModel, "defaultModel is null");
        this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
        this.apiKey = requireNonNull(apiKey, "apiKey is null");
    }

    /**
     * The models that {@code settings} ask for, or why there are none. Nothing is sent to the
     * provider yet: a server that cannot be reached shows at the first call, through {@link #explain}.
     */
    public static ChatModelsSetup from(LlmSettings settings) {
        if (settings.provider().isEmpty()) {
            return new ChatModelsSetup.NotConfigured();
        }
        String name = settings.provider().get();
        Provider provider;
        try {
            provider = Provider.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return new ChatModelsSetup.Misconfigured("OCTO_LLM_PROVIDER=" + oneLine(name)
                    + " is not a provider: set it to anthropic, openai or ollama");
        }
        String model = settings.model().orElse(provider.defaultModel);
        return switch (provider) {
            case ANTHROPIC -> settings.anthropicApiKey().isEmpty()
                    ? needs("anthropic", "ANTHROPIC_API_KEY")
                    : checked(provider, model, settings.anthropicBaseUrl(), settings.anthropicApiKey().get());
            case OPENAI -> settings.openAiApiKey().isEmpty() && settings.openAiBaseUrl().isEmpty()
                    ? needs("openai", "OPENAI_API_KEY (or OPENAI_BASE_URL for an OpenAI-compatible server that takes no key)")
                    : checked(provider, model, settings.openAiBaseUrl(), settings.openAiApiKey().orElse(NO_KEY));
            case OLLAMA -> checked(provider, model, Optional.of(settings.ollamaBaseUrl().orElse("http://localhost:11434")), NO_KEY);
        };
    }

    private static ChatModelsSetup needs(String provider, String what) {
        return new ChatModelsSetup.Misconfigured("OCTO_LLM_PROVIDER=" + provider + " needs " + what
                + ": set it in the environment or in .env");
    }

    private static ChatModelsSetup checked(Provider provider, String model, Optional<String> baseUrl, String apiKey) {
        if (baseUrl.isPresent() && !isHttpUrl(baseUrl.get())) {
            return new ChatModelsSetup.Misconfigured(provider.urlVariable + "=" + oneLine(baseUrl.get())
                    + " is not an http:// or https:// URL: set it to the server's address");
        }
        return new ChatModelsSetup.Ready(new ProviderChatModels(provider, model, baseUrl, apiKey));
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    @Override
    public ChatModel chat(Optional<String> modelName) {
        return chatModels.computeIfAbsent(modelName.orElse(defaultModel), this::newChatModel);
    }

    @Override
    public StreamingChatModel streaming(Optional<String> modelName) {
        return streamingModels.computeIfAbsent(modelName.orElse(defaultModel),
                model -> new RetryingStreamingChatModel(newStreamingModel(model), MAX_RETRIES));
    }

    @Override
    public String describe() {
        return provider.displayName() + " " + defaultModel;
    }

    @Override
    public String explain(Throwable failure) {
        String where = provider.displayName() + baseUrl.map(url -> " at " + url).orElse("");
        if (causedBy(failure, ConnectException.class, UnknownHostException.class, UnresolvedAddressException.class,
                HttpConnectTimeoutException.class) || failure instanceof UnresolvedModelServerException) {
            return "The model server (" + where + ") cannot be reached: "
                    + (provider == Provider.OLLAMA ? "is Ollama running? " : "")
                    + "check " + provider.urlVariable + " and the network";
        }
        return switch (failure) {
            case AuthenticationException e -> provider.displayName() + " refused the API key: check "
                    + provider.keyVariable + " (" + detail(e) + ")";
            case ModelNotFoundException e -> provider.displayName() + " does not know the model asked for"
                    + " (OCTO_LLM_MODEL, or the agent's model): " + detail(e);
            case RateLimitException e -> provider.displayName() + " is limiting the rate of requests (429), still after "
                    + MAX_RETRIES + " retries: try again later (" + detail(e) + ")";
            case InternalServerException e -> provider.displayName() + " failed with a server error, still after "
                    + MAX_RETRIES + " retries: " + detail(e);
            case TimeoutException e -> provider.displayName() + " did not answer in time: " + detail(e);
            case InvalidRequestException e -> provider.displayName() + " refused the request: " + detail(e);
            default -> causedBy(failure, HttpTimeoutException.class)
                    ? provider.displayName() + " did not answer within " + TIMEOUT.toMinutes() + " minutes"
                    : provider.displayName() + " failed: " + detail(failure);
        };
    }

    private ChatModel newChatModel(String model) {
        return switch (provider) {
            case ANTHROPIC -> {
                AnthropicChatModel.AnthropicChatModelBuilder builder = AnthropicChatModel.builder()
                        .apiKey(apiKey).modelName(model).maxTokens(ANTHROPIC_MAX_TOKENS)
                        // a long agent run then pays for its system prompt and tools once, not every turn
                        .cacheSystemMessages(true).cacheTools(true)
                        .timeout(TIMEOUT).maxRetries(MAX_RETRIES);
                baseUrl.ifPresent(builder::baseUrl);
                yield builder.build();
            }
            case OPENAI -> {
                OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder()
                        .apiKey(apiKey).modelName(model).timeout(TIMEOUT).maxRetries(MAX_RETRIES);
                baseUrl.ifPresent(builder::baseUrl);
                yield builder.build();
            }
            case OLLAMA -> OllamaChatModel.builder()
                    .baseUrl(baseUrl.orElseThrow()).modelName(model).timeout(TIMEOUT).maxRetries(MAX_RETRIES).build();
        };
    }

    private StreamingChatModel newStreamingModel(String model) {
        return switch (provider) {
            case ANTHROPIC -> {
                AnthropicStreamingChatModel.AnthropicStreamingChatModelBuilder builder = AnthropicStreamingChatModel.builder()
                        .apiKey(apiKey).modelName(model).maxTokens(ANTHROPIC_MAX_TOKENS)
                        .cacheSystemMessages(true).cacheTools(true)
                        .timeout(TIMEOUT);
                baseUrl.ifPresent(builder::baseUrl);
                yield builder.build();
            }
            case OPENAI -> {
                OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder builder = OpenAiStreamingChatModel.builder()
                        .apiKey(apiKey).modelName(model).timeout(TIMEOUT);
                baseUrl.ifPresent(builder::baseUrl);
                yield builder.build();
            }
            case OLLAMA -> OllamaStreamingChatModel.builder()
                    .baseUrl(baseUrl.orElseThrow()).modelName(model).timeout(TIMEOUT).build();
        };
    }

    @SafeVarargs
    private static boolean causedBy(Throwable failure, Class<? extends Throwable>... kinds) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            for (Class<? extends Throwable> kind : kinds) {
                if (kind.isInstance(cause)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The provider's own words about a failure, on one line and cut short: they may quote a whole body. */
    private static String detail(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return oneLine(message);
    }

    /** {@code text} without line breaks or control characters, and cut to a readable length. */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder();
        text.strip().codePoints().forEach(c -> out.appendCodePoint(
                Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? ' ' : c));
        String flat = out.toString().replaceAll(" {2,}", " ");
        return flat.length() <= LONGEST_DETAIL ? flat : flat.substring(0, LONGEST_DETAIL) + "...";
    }
}
