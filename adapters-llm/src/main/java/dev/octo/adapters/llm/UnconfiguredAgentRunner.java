package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.AgentRunner;
import dev.octo.domain.Task;
import java.util.Optional;

/** The agent runner when no LLM can be used: every agent task fails saying what to set. */
public final class UnconfiguredAgentRunner implements AgentRunner {

    public static final String REASON = "Agent tasks need an LLM, and none is configured: set OCTO_LLM_PROVIDER"
            + " (anthropic, openai or ollama), OCTO_LLM_MODEL and the provider's key or URL";

    private final String reason;

    /** For when no provider is set. */
    public UnconfiguredAgentRunner() {
        this.reason = REASON;
    }

    /** For when the provider's settings cannot be used: {@code problem} says which to fix. */
    public UnconfiguredAgentRunner(String problem) {
        this.reason = "Agent tasks need an LLM, which cannot be used: " + requireNonNull(problem, "problem is null");
    }

    @Override
    public Outcome run(Task task) {
        // an agent task made before the settings changed, and found at start
        return new Outcome.Failed(reason);
    }

    @Override
    public Optional<String> unavailable() {
        return Optional.of(reason);
    }
}
