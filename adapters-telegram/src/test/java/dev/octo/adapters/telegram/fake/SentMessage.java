package dev.octo.adapters.telegram.fake;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A message the bot sent and the fake accepted, as it stands now (edits applied).
 *
 * @param text the text, or a document's caption; empty when there is none
 * @param parseMode {@code HTML}, {@code MarkdownV2}... or null when the bot gave none
 * @param buttons the inline keyboard, row by row; empty without one
 * @param replyToMessageId the message this one answers, or null
 * @param document the file of a {@code sendDocument}, or null for a text message
 * @param receivedAt when the fake accepted it (first sent, not last edited)
 */
public record SentMessage(
        long chatId,
        int messageId,
        String text,
        String parseMode,
        List<List<Button>> buttons,
        Integer replyToMessageId,
        Document document,
        Instant receivedAt) {

    public SentMessage {
        requireNonNull(text, "text is null");
        requireNonNull(receivedAt, "receivedAt is null");
        buttons = buttons.stream().map(List::copyOf).toList();
    }

    /** Every button, row after row. */
    public List<Button> allButtons() {
        return buttons.stream().flatMap(List::stream).toList();
    }

    SentMessage edited(String newText, String newParseMode, List<List<Button>> newButtons) {
        return new SentMessage(chatId, messageId, newText, newParseMode, newButtons, replyToMessageId, document, receivedAt);
    }
}
