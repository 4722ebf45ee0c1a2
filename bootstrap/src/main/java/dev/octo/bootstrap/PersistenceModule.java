package dev.octo.bootstrap;

import static java.util.Objects.requireNonNull;

import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.octo.adapters.persistence.JsonFileConversationStore;
import dev.octo.adapters.persistence.JsonFileSupervisorConversationStore;
import dev.octo.application.port.out.ConversationStore;
import dev.octo.application.port.out.SupervisorConversationStore;
import dev.octo.application.port.out.TaskStore;

/** Tasks and agent conversations as JSON files under {@code .octo/tasks}, the supervisor's under {@code .octo/supervisor}. */
final class PersistenceModule extends OctoModule {

    private final TaskStore tasks;

    /** With {@code tasks} opened on the configuration's task folder, already loading in the background. */
    PersistenceModule(OctoConfig config, TaskStore tasks) {
        super(config);
        this.tasks = requireNonNull(tasks, "tasks is null");
    }

    @Provides
    @Singleton
    TaskStore taskStore() {
        return tasks;
    }

    @Provides
    @Singleton
    ConversationStore conversationStore() {
        return JsonFileConversationStore.cleaningInBackground(config.tasksDirectory());
    }

    @Provides
    @Singleton
    SupervisorConversationStore supervisorConversationStore() {
        return new JsonFileSupervisorConversationStore(config.octoDir().resolve("supervisor"));
    }
}
