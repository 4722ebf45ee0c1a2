package dev.octo.adapters.llm;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.List;

/**
 * Bounds a conversation to its last messages. The part kept starts at a user message, so that a
 * tool result is never kept without the model's call that asked for it (providers refuse such a
 * conversation) and the conversation opens as providers want, with the user speaking.
 */
final class ConversationWindow {

    private ConversationWindow() {
    }

    /**
     * The last messages of {@code messages}, at most {@code max}, starting at a user message. When
     * no user message is among the last {@code max} (one exchange ran more tool rounds than that),
     * the part kept starts at the last user message and may be longer.
     */
    static List<ChatMessage> last(List<ChatMessage> messages, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, not " + max);
        }
        if (messages.size() <= max && (messages.isEmpty() || messages.getFirst() instanceof UserMessage)) {
            return messages;
        }
        int from = Math.max(0, messages.size() - max);
        for (int i = from; i < messages.size(); i++) {
            if (messages.get(i) instanceof UserMessage) {
                return List.copyOf(messages.subList(i, messages.size()));
            }
        }
        for (int i = from - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage) {
                return List.copyOf(messages.subList(i, messages.size()));
            }
        }
        return List.of();
    }
}
