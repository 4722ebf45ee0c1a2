package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.SupervisorChat;
import dev.octo.application.port.out.SupervisorUnavailableException;

/** The supervisor chat when no LLM can be used: every message is answered with what to set. */
public final class UnconfiguredSupervisorChat implements SupervisorChat {

    public static final String REASON = "Free text goes to the supervisor, an LLM, and none is configured. "
            + "Set OCTO_LLM_PROVIDER (anthropic, openai or ollama), OCTO_LLM_MODEL and the provider's key "
            + "(ANTHROPIC_API_KEY, OPENAI_API_KEY) or URL (OPENAI_BASE_URL, OLLAMA_BASE_URL). "
            + "Commands work without it: /help lists them.";

    private final String reason;

    /** For when no provider is set. */
    public UnconfiguredSupervisorChat() {
        this.reason = REASON;
    }

    /** For when the provider's settings cannot be used: {@code problem} says which to fix. */
    public UnconfiguredSupervisorChat(String problem) {
        this.reason = "Free text goes to the supervisor, an LLM, which cannot be used: "
                + requireNonNull(problem, "problem is null") + ". Commands work without it: /help lists them.";
    }

    @Override
    public String reply(String channel, String message) {
        throw new SupervisorUnavailableException(reason);
    }
}
