package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

/**
 * An agent the supervisor may dispatch work to, as its system prompt lists it.
 *
 * @param name what {@code agent_name} selects
 * @param description what the agent is for, in a sentence
 */
public record KnownAgent(String name, String description) {

    public KnownAgent {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an agent has a name");
        }
    }
}
