package dev.octo.application.port.out;

import dev.octo.domain.TaskId;
import java.util.Optional;

/**
 * An agent task's conversation, kept as opaque text so the application need not know how an LLM
 * library writes it down.
 */
public interface ConversationStore {

    /**
     * Stores the whole conversation of task {@code id}, replacing the earlier one; durable when it
     * returns.
     *
     * @throws StoreException when it cannot be written
     */
    void save(TaskId id, String conversation);

    /** The conversation last saved for task {@code id}, or empty when there is none. */
    Optional<String> load(TaskId id);

    /**
     * Removes the conversation of task {@code id}, so that a later {@link #load} is empty; nothing
     * happens when there is none.
     *
     * @throws StoreException when it is there and cannot be removed
     */
    void delete(TaskId id);
}
