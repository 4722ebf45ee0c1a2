package dev.octo.adapters.telegram.fake;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A text message a user sends to the bot, to {@link FakeBotApi#pushMessage push} as an update.
 *
 * @param replyToMessageId the message it replies to (one the bot sent, or another user message), or null
 * @param sentAt its date; null means when it is pushed
 */
public record UserMessage(long fromUserId, long chatId, String text, Integer replyToMessageId, Instant sentAt) {

    public UserMessage {
        requireNonNull(text, "text is null");
    }

    /** A message from a user in their private chat with the bot (chat id = user id, as Telegram does). */
    public static UserMessage text(long fromUserId, String text) {
        return new UserMessage(fromUserId, fromUserId, text, null, null);
    }

    public static UserMessage text(long fromUserId, long chatId, String text) {
        return new UserMessage(fromUserId, chatId, text, null, null);
    }

    public UserMessage replyingTo(int messageId) {
        return new UserMessage(fromUserId, chatId, text, messageId, sentAt);
    }

    public UserMessage sentAt(Instant date) {
        return new UserMessage(fromUserId, chatId, text, replyToMessageId, date);
    }
}
