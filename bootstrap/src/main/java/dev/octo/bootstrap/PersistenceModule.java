package dev.octo.bootstrap;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.octo.adapters.persistence.JsonFileConversationStore;
import dev.octo.adapters.persistence.JsonFileTaskStore;
import dev.octo.application.port.out.ConversationStore;
import dev.octo.application.port.out.TaskStore;

/** Tasks and conversations as JSON files under {@code .octo/tasks}. */
final class PersistenceModule extends AbstractModule {

    private final OctoConfig config;

    PersistenceModule(OctoConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
    }

    @Provides
    @Singleton
    TaskStore taskStore() {
        return new JsonFileTaskStore(config.tasksDirectory());
    }

    @Provides
    @Singleton
    ConversationStore conversationStore() {
        return new JsonFileConversationStore(config.tasksDirectory());
    }
}
