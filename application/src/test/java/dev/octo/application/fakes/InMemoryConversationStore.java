package dev.octo.application.fakes;

import dev.octo.application.port.out.ConversationStore;
import dev.octo.domain.TaskId;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A {@link ConversationStore} in a map. */
public final class InMemoryConversationStore implements ConversationStore {

    private final ConcurrentMap<TaskId, String> conversations = new ConcurrentHashMap<>();

    @Override
    public void save(TaskId id, String conversation) {
        conversations.put(id, conversation);
    }

    @Override
    public Optional<String> load(TaskId id) {
        return Optional.ofNullable(conversations.get(id));
    }

    @Override
    public void delete(TaskId id) {
        conversations.remove(id);
    }
}
