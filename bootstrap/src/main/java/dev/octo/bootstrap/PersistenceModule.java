package dev.octo.bootstrap;

import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.octo.adapters.persistence.JsonFileConversationStore;
import dev.octo.adapters.persistence.JsonFileSupervisorConversationStore;
import dev.octo.adapters.persistence.JsonFileTaskStore;
import dev.octo.application.port.out.ConversationStore;
import dev.octo.application.port.out.SupervisorConversationStore;
import dev.octo.application.port.out.TaskStore;

/** Tasks and agent conversations as JSON files under {@code .octo/tasks}, the supervisor's under {@code .octo/supervisor}. */
final class PersistenceModule extends OctoModule {

    PersistenceModule(OctoConfig config) {
        super(config);
    }

    @Provides
    @Singleton
    TaskStore taskStore() {
        return JsonFileTaskStore.loadingInBackground(config.tasksDirectory());
    }

    @Provides
    @Singleton
    ConversationStore conversationStore() {
        return new JsonFileConversationStore(config.tasksDirectory());
    }

    @Provides
    @Singleton
    SupervisorConversationStore supervisorConversationStore() {
        return new JsonFileSupervisorConversationStore(config.octoDir().resolve("supervisor"));
    }
}
