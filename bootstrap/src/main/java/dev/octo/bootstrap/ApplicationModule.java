package dev.octo.bootstrap;

import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.octo.application.port.out.AgentRunner;
import dev.octo.application.port.out.ConversationStore;
import dev.octo.application.port.out.ProcessRunner;
import dev.octo.application.port.out.SupervisorChat;
import dev.octo.application.port.out.TaskIds;
import dev.octo.application.port.out.TaskStore;
import dev.octo.application.service.CommandInterpreter;
import dev.octo.application.service.RandomTaskIds;
import dev.octo.application.service.EngineSettings;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.ClaudeCommandRule;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.TimeoutPolicy;
import java.time.Clock;
import java.util.Optional;

/** The use cases, the worker pool and the command interpreter. */
final class ApplicationModule extends OctoModule {

    ApplicationModule(OctoConfig config) {
        super(config);
    }

    @Provides
    @Singleton
    Clock clock() {
        return Clock.systemDefaultZone();
    }

    @Provides
    @Singleton
    EngineSettings settings() {
        return new EngineSettings(config.maxConcurrent(), config.workingDirectory(),
                new TimeoutPolicy(config.claudeCodeTimeout(), TimeoutPolicy.DEFAULT_TEST_MINIMUM),
                EscalationPolicy.DEFAULT, new ClaudeCommandRule(config.additionalClaudeArgs()));
    }

    @Provides
    @Singleton
    TaskIds taskIds(TaskStore store) {
        return new RandomTaskIds(store);
    }

    @Provides
    @Singleton
    TaskEngine engine(TaskStore store, ConversationStore conversations, TaskIds ids, Clock clock,
            ProcessRunner processes, AgentRunner agents, EngineSettings settings) {
        return new TaskEngine(store, conversations, ids, clock, processes, agents, settings);
    }

    @Provides
    @Singleton
    CommandInterpreter interpreter(TaskEngine engine, Optional<SupervisorChat> chat, Clock clock) {
        return CommandInterpreter.over(engine, chat, clock);
    }
}
