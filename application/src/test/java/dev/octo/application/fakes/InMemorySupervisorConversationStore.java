package dev.octo.application.fakes;

import dev.octo.application.port.out.SupervisorConversationStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A {@link SupervisorConversationStore} in a map. */
public final class InMemorySupervisorConversationStore implements SupervisorConversationStore {

    private final ConcurrentMap<String, String> conversations = new ConcurrentHashMap<>();

    @Override
    public void save(String channel, String conversation) {
        conversations.put(channel, conversation);
    }

    @Override
    public Optional<String> load(String channel) {
        return Optional.ofNullable(conversations.get(channel));
    }

    @Override
    public List<String> channels() {
        return List.copyOf(conversations.keySet());
    }
}
