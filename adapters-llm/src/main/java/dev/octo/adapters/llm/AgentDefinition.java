package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * An agent an agent task can name: read from {@code .octo/agents/<name>/AGENT.md}, or the built-in
 * {@code default}.
 *
 * @param model the model it asks for; empty means the configured one
 * @param tools the tools it may use; empty means all of them
 * @param systemPrompt what the model is told before the task's objective and the rules of background
 *     work
 */
public record AgentDefinition(String name, String description, Optional<String> model,
        Optional<List<String>> tools, String systemPrompt) {

    public AgentDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(model, "model is null");
        tools = requireNonNull(tools, "tools is null").map(List::copyOf);
        requireNonNull(systemPrompt, "systemPrompt is null");
    }
}
