package dev.octo.application.port.out;

import java.util.List;
import java.util.Optional;

/**
 * The supervisor's recent conversation with each channel ("cli", "telegram:42"), kept as opaque
 * text so the application need not know how an LLM library writes it down. The supervisor bounds
 * what it saves; the store keeps it as given.
 */
public interface SupervisorConversationStore {

    /**
     * Stores the conversation of {@code channel}, replacing the earlier one; durable when it
     * returns. Any channel name is accepted, whatever characters it holds.
     *
     * @throws StoreException when it cannot be written
     */
    void save(String channel, String conversation);

    /**
     * The conversation last saved for {@code channel}, or empty when there is none (or when what
     * was saved can no longer be read: the supervisor then starts that conversation anew).
     *
     * @throws StoreException when it exists but cannot be read from the disk
     */
    Optional<String> load(String channel);

    /** Every channel that has a saved conversation, in no particular order. */
    List<String> channels();
}
