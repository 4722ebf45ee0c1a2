package dev.octo.bootstrap;

import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.octo.adapters.llm.AgentDefinitions;
import dev.octo.adapters.llm.ChatModelsSetup;
import dev.octo.adapters.llm.KnownAgent;
import dev.octo.adapters.llm.LangChain4jAgentRunner;
import dev.octo.adapters.llm.LangChain4jSupervisorChat;
import dev.octo.adapters.llm.LangChain4jTranscripts;
import dev.octo.adapters.llm.LlmSettings;
import dev.octo.adapters.llm.ProviderChatModels;
import dev.octo.adapters.llm.SupervisorNotes;
import dev.octo.adapters.llm.UnconfiguredAgentRunner;
import dev.octo.adapters.llm.UnconfiguredSupervisorChat;
import dev.octo.application.port.out.AgentCatalogue;
import dev.octo.application.port.out.AgentRunner;
import dev.octo.application.port.out.AgentTranscripts;
import dev.octo.application.port.out.CommandRunner;
import dev.octo.application.port.out.ConversationStore;
import dev.octo.application.port.out.SupervisorChat;
import dev.octo.application.port.out.SupervisorConversationStore;
import dev.octo.application.service.TaskEngine;
import java.lang.System.Logger.Level;
import java.time.Clock;

/**
 * The models of the configured provider, and the supervisor chat and the agent runner. Without a
 * provider, or with settings that cannot work, Octo still starts: agent tasks fail and free text is
 * answered with one line that says what to set, while commands such as {@code /bg} work as ever.
 */
final class LlmModule extends OctoModule {

    private static final System.Logger LOG = System.getLogger(LlmModule.class.getName());

    LlmModule(OctoConfig config) {
        super(config);
    }

    /** Built at start without calling the provider: a server that cannot be reached shows at the first call. */
    @Provides
    @Singleton
    ChatModelsSetup chatModels() {
        ChatModelsSetup setup = ProviderChatModels.from(new LlmSettings(
                config.llmProvider(),
                config.llmModel(),
                config.anthropicApiKey(),
                config.anthropicBaseUrl(),
                config.openAiApiKey(),
                config.openAiBaseUrl(),
                config.ollamaBaseUrl()));
        switch (setup) {
            case ChatModelsSetup.Ready ready -> LOG.log(Level.INFO, "LLM: " + ready.models().describe());
            case ChatModelsSetup.NotConfigured none -> LOG.log(Level.INFO, "LLM: none, OCTO_LLM_PROVIDER is not set");
            case ChatModelsSetup.Misconfigured problem -> LOG.log(Level.WARNING, "LLM: none, " + problem.reason());
        }
        return setup;
    }

    /** The agents of {@code .octo/agents}, and the default one. */
    @Provides
    @Singleton
    AgentDefinitions agentDefinitions() {
        return new AgentDefinitions(config.agentsDirectory());
    }

    @Provides
    @Singleton
    AgentCatalogue agentCatalogue(AgentDefinitions agents) {
        return agents;
    }

    /** What agent tasks did, read from their saved conversations: also without a provider. */
    @Provides
    @Singleton
    AgentTranscripts agentTranscripts(ConversationStore conversations) {
        return new LangChain4jTranscripts(conversations);
    }

    @Provides
    @Singleton
    AgentRunner agentRunner(ChatModelsSetup models, ConversationStore conversations, AgentDefinitions agents,
            CommandRunner commands) {
        return switch (models) {
            case ChatModelsSetup.Ready ready -> new LangChain4jAgentRunner(ready.models(), conversations, agents,
                    commands, config.agentMaxTokens());
            case ChatModelsSetup.NotConfigured none -> new UnconfiguredAgentRunner();
            case ChatModelsSetup.Misconfigured problem -> new UnconfiguredAgentRunner(problem.reason());
        };
    }

    @Provides
    @Singleton
    SupervisorChat supervisorChat(ChatModelsSetup models, SupervisorConversationStore conversations,
            AgentDefinitions agents, TaskEngine engine, Clock clock) {
        return switch (models) {
            case ChatModelsSetup.Ready ready -> {
                // the agents are read anew for every answer, so that one defined meanwhile is offered
                LangChain4jSupervisorChat chat = new LangChain4jSupervisorChat(ready.models(), conversations,
                        engine, engine, engine, () -> agents.all().values().stream()
                                .map(agent -> new KnownAgent(agent.name(), agent.description())).toList(),
                        config.workingDirectory(), clock, LangChain4jSupervisorChat.Limits.DEFAULT);
                // the supervisor hears of the tasks that end as a channel does, so it can speak of them
                engine.register(new SupervisorNotes(chat));
                // the clients load while the person types: the first answer comes a second or more sooner
                Thread.ofPlatform().daemon().name("octo-supervisor-prepare").start(chat::prepare);
                yield chat;
            }
            case ChatModelsSetup.NotConfigured none -> new UnconfiguredSupervisorChat();
            case ChatModelsSetup.Misconfigured problem -> new UnconfiguredSupervisorChat(problem.reason());
        };
    }
}
