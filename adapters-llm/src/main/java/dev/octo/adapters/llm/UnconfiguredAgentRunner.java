package dev.octo.adapters.llm;

import dev.octo.application.port.out.AgentRunner;
import dev.octo.domain.Task;

/** The agent runner when no LLM provider is configured: every agent task fails saying what to set. */
public final class UnconfiguredAgentRunner implements AgentRunner {

    public static final String REASON = "Agent tasks need an LLM, and none is configured: set OCTO_LLM_PROVIDER"
            + " (anthropic, openai or ollama), OCTO_LLM_MODEL and the provider's key or URL";

    @Override
    public Outcome run(Task task, Progress progress) {
        return new Outcome.Failed(REASON);
    }
}
