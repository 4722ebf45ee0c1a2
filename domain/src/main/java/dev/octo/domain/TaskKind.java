package dev.octo.domain;

import java.util.Locale;

/** What runs a task: a shell command, or an LLM agent with its own tools. */
public enum TaskKind {
    PROCESS,
    AGENT;

    /** The name in lowercase, made once: a start with a large store compares thousands of labels. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
