package dev.octo.application.port.out;

/**
 * The supervisor: an LLM that answers free text, and may dispatch background work through the use
 * cases it was given.
 */
public interface SupervisorChat {

    /**
     * Answers {@code message} from {@code channel} (for example "cli" or "telegram:42"), keeping
     * the conversation of that channel. Blocks until the answer is ready.
     *
     * @throws SupervisorUnavailableException when no LLM can answer; its message says what to configure
     */
    String reply(String channel, String message);
}
