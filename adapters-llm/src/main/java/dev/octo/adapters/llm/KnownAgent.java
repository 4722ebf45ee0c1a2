package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import dev.octo.domain.AgentSpec;

/**
 * An agent the supervisor may dispatch work to, as its system prompt lists it.
 *
 * @param name what {@code agent_name} selects
 * @param description what the agent is for, in a sentence
 */
public record KnownAgent(String name, String description) {

    /** The agent that exists without any definition file. */
    public static final KnownAgent DEFAULT = new KnownAgent(AgentSpec.DEFAULT_AGENT,
            "a general agent that reads, searches and edits files and runs commands in its working directory");

    public KnownAgent {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an agent has a name");
        }
    }
}
