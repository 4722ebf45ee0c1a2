package dev.octo.bootstrap;

import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.octo.adapters.llm.ChatModelsSetup;
import dev.octo.adapters.llm.KnownAgent;
import dev.octo.adapters.llm.LangChain4jSupervisorChat;
import dev.octo.adapters.llm.LlmSettings;
import dev.octo.adapters.llm.ProviderChatModels;
import dev.octo.adapters.llm.SupervisorNotes;
import dev.octo.adapters.llm.UnconfiguredAgentRunner;
import dev.octo.adapters.llm.UnconfiguredSupervisorChat;
import dev.octo.application.port.out.AgentRunner;
import dev.octo.application.port.out.SupervisorChat;
import dev.octo.application.port.out.SupervisorConversationStore;
import dev.octo.application.service.TaskEngine;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The models of the configured provider, the supervisor chat and the agent runner. Without a
 * provider (or with one that cannot be used), free text is answered with what to configure; until
 * the agent runner lands, agent tasks fail saying the same.
 */
final class LlmModule extends OctoModule {

    LlmModule(OctoConfig config) {
        super(config);
    }

    @Provides
    @Singleton
    ChatModelsSetup chatModels() {
        return ProviderChatModels.from(new LlmSettings(config.llmProvider(), config.llmModel(),
                config.anthropicApiKey(), Optional.empty(), config.openAiApiKey(), config.openAiBaseUrl(),
                config.ollamaBaseUrl()));
    }

    @Provides
    @Singleton
    AgentRunner agentRunner() {
        return new UnconfiguredAgentRunner();
    }

    @Provides
    @Singleton
    SupervisorChat supervisorChat(ChatModelsSetup models, SupervisorConversationStore conversations,
            TaskEngine engine, Clock clock) {
        return switch (models) {
            case ChatModelsSetup.Ready ready -> {
                LangChain4jSupervisorChat chat = new LangChain4jSupervisorChat(ready.models(), conversations,
                        engine, engine, engine, () -> List.of(KnownAgent.DEFAULT), config.workingDirectory(), clock,
                        LangChain4jSupervisorChat.Limits.DEFAULT);
                // the supervisor hears of the tasks that end as a channel does, so it can speak of them
                engine.register(new SupervisorNotes(chat));
                // the clients load while the person types: the first answer comes a second or more sooner
                Thread.ofPlatform().daemon().name("octo-supervisor-prepare").start(chat::prepare);
                yield chat;
            }
            case ChatModelsSetup.NotConfigured none -> new UnconfiguredSupervisorChat();
            case ChatModelsSetup.Misconfigured misconfigured -> new UnconfiguredSupervisorChat(misconfigured.reason());
        };
    }
}
