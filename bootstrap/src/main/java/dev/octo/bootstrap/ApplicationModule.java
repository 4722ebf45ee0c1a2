package dev.octo.bootstrap;

import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.octo.application.port.in.CancelTaskUseCase;
import dev.octo.application.port.in.CleanTasksUseCase;
import dev.octo.application.port.in.DispatchTaskUseCase;
import dev.octo.application.port.in.FollowUpTaskUseCase;
import dev.octo.application.port.in.HoldQueueUseCase;
import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.in.ResumeTaskUseCase;
import dev.octo.application.port.in.RetryTaskUseCase;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.out.AgentCatalogue;
import dev.octo.application.port.out.AgentTranscripts;
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

/** The use cases, the worker pool and the command interpreter. */
final class ApplicationModule extends OctoModule {

    ApplicationModule(OctoConfig config) {
        super(config);
    }

    @Override
    protected void bindings() {
        // Each use case is bound on its own, so that a front end asks for the interfaces it needs; all
        // of them are the one engine, so that they share its worker pool and its waiters.
        bind(DispatchTaskUseCase.class).to(TaskEngine.class);
        bind(CancelTaskUseCase.class).to(TaskEngine.class);
        bind(ResumeTaskUseCase.class).to(TaskEngine.class);
        bind(RetryTaskUseCase.class).to(TaskEngine.class);
        bind(FollowUpTaskUseCase.class).to(TaskEngine.class);
        bind(CleanTasksUseCase.class).to(TaskEngine.class);
        bind(HoldQueueUseCase.class).to(TaskEngine.class);
        bind(TaskQueries.class).to(TaskEngine.class);
        bind(InterpretCommandUseCase.class).to(CommandInterpreter.class);
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
    TaskEngine engine(TaskStore store, ConversationStore conversations, AgentCatalogue catalogue, TaskIds ids,
            Clock clock, ProcessRunner processes, AgentRunner agents, EngineSettings settings) {
        return new TaskEngine(store, conversations, catalogue, ids, clock, processes, agents, settings);
    }

    @Provides
    @Singleton
    CommandInterpreter interpreter(DispatchTaskUseCase dispatch, CancelTaskUseCase cancel, ResumeTaskUseCase resume,
            RetryTaskUseCase retry, FollowUpTaskUseCase followUp, CleanTasksUseCase clean, TaskQueries queries,
            AgentTranscripts transcripts, SupervisorChat chat, Clock clock) {
        return new CommandInterpreter(dispatch, cancel, resume, retry, followUp, clean, queries, transcripts, chat,
                clock);
    }
}
