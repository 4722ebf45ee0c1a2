package dev.octo.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link SupervisorConversationStore} does; a subclass names the store. */
public abstract class SupervisorConversationStoreContract {

    private SupervisorConversationStore store;

    /** A new, empty store. */
    protected abstract SupervisorConversationStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @Test
    void aSavedConversationLoadsExactlyAsSaved() {
        store.save("cli", ConversationStoreContract.CONVERSATION);

        assertThat(store.load("cli")).contains(ConversationStoreContract.CONVERSATION);
    }

    @Test
    void savingAgainReplacesTheEarlierConversation() {
        store.save("telegram:42", "[]");

        store.save("telegram:42", "[{}]");

        assertThat(store.load("telegram:42")).contains("[{}]");
    }

    @Test
    void aChannelWithNoSavedConversationLoadsEmpty() {
        assertThat(store.load("telegram:7")).isEmpty();
        assertThat(store.channels()).isEmpty();
    }

    @Test
    void channelsWhoseNamesLookAlikeAreKeptApart() {
        // each would make the same file name if unsafe characters were simply replaced
        String[] channels = {"telegram:42", "telegram_42", "telegram-42", "Telegram:42", "a/b", "a_2fb", "..", "日本"};
        for (String channel : channels) {
            store.save(channel, "conversation of " + channel);
        }

        for (String channel : channels) {
            assertThat(store.load(channel)).as(channel).contains("conversation of " + channel);
        }
        assertThat(store.channels()).containsExactlyInAnyOrder(channels);
    }

    @Test
    void aVeryLongChannelNameIsKept() {
        String channel = "telegram:" + "9".repeat(400);

        store.save(channel, "long");

        assertThat(store.load(channel)).contains("long");
        assertThat(store.channels()).containsExactly(channel);
    }
}
