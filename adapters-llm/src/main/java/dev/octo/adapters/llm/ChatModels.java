package dev.octo.adapters.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import java.util.Optional;

/**
 * The chat models of the configured provider ({@code OCTO_LLM_PROVIDER}), for the supervisor and
 * for agents. The supervisor chat and the agent runner take this, never a provider's own classes,
 * so that they work the same whichever provider is set.
 */
public interface ChatModels {

    /**
     * The model {@code modelName} of the provider, or its configured default ({@code OCTO_LLM_MODEL},
     * else the provider's own default) when empty. Transient errors are retried inside it.
     */
    ChatModel chat(Optional<String> modelName);

    /** As {@link #chat(Optional)}, answering token by token. */
    StreamingChatModel streaming(Optional<String> modelName);

    /** The provider and default model, for the log and for error messages: "anthropic claude-sonnet-4-5". */
    String describe();

    /**
     * {@code failure}, thrown by a model of this provider once retries were spent, as one line for
     * the user that says what went wrong and, where a setting can fix it, which one: never a stack
     * trace.
     */
    default String explain(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return describe() + " failed: " + message.lines().findFirst().orElse("").strip();
    }
}
