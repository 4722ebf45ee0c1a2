package dev.octo.domain;

/** What runs a task: a shell command, or an LLM agent with its own tools. */
public enum TaskKind {
    PROCESS,
    AGENT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
