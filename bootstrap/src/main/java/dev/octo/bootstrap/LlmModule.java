package dev.octo.bootstrap;

import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.octo.adapters.llm.UnconfiguredAgentRunner;
import dev.octo.adapters.llm.UnconfiguredSupervisorChat;
import dev.octo.application.port.out.AgentRunner;
import dev.octo.application.port.out.SupervisorChat;

/**
 * The supervisor chat and the agent runner. Until the LLM adapters land, agent tasks fail saying
 * what to configure and free text is answered with the same advice.
 */
final class LlmModule extends OctoModule {

    LlmModule(OctoConfig config) {
        super(config);
    }

    @Provides
    @Singleton
    AgentRunner agentRunner() {
        return new UnconfiguredAgentRunner();
    }

    @Provides
    @Singleton
    SupervisorChat supervisorChat() {
        return new UnconfiguredSupervisorChat();
    }
}
