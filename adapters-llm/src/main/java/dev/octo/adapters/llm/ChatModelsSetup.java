package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

/**
 * What the configuration makes of the models: the provider's, none because no provider is set, or
 * none because of a setting that needs fixing, with the one line that says which.
 */
public sealed interface ChatModelsSetup {

    /** The provider's models, ready; a call may still fail (see {@link ChatModels#explain}). */
    record Ready(ChatModels models) implements ChatModelsSetup {
        public Ready {
            requireNonNull(models, "models is null");
        }
    }

    /** No provider is chosen: Octo runs without an LLM. */
    record NotConfigured() implements ChatModelsSetup {
    }

    /** A provider is chosen but cannot be used: {@code reason} is one line saying what to set. */
    record Misconfigured(String reason) implements ChatModelsSetup {
        public Misconfigured {
            requireNonNull(reason, "reason is null");
        }
    }
}
