package dev.octo.application.port.out;

import java.util.function.Consumer;

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

    /**
     * Answers as {@link #reply(String, String)} does, handing the answer to {@code partial} piece by
     * piece as it is generated, on whatever thread the model answers on, one piece at a time; the
     * pieces joined are the answer returned. When the calling thread is interrupted (the user
     * pressed Ctrl-C), the answer stops: no piece comes after this returns, the part generated so
     * far is returned and kept in the conversation, and the thread's interrupted status stays set.
     *
     * <p>The default answers in one piece.
     *
     * @throws SupervisorUnavailableException when no LLM can answer; its message says what to configure
     */
    default String reply(String channel, String message, Consumer<String> partial) {
        String answer = reply(channel, message);
        partial.accept(answer);
        return answer;
    }
}
