package dev.octo.adapters.process.canary;

import jakarta.inject.Named;

/** Canary: a DI qualifier on a constructor parameter only. */
public final class NamedParameterProcessRunner {

    private final String shell;

    public NamedParameterProcessRunner(@Named("shell") String shell) {
        this.shell = shell;
    }

    public String shell() {
        return shell;
    }
}
