package dev.octo.domain;

import java.nio.file.Path;

/** What a task is asked to do. */
public sealed interface TaskSpec permits ProcessSpec, AgentSpec {

    TaskKind kind();

    /** The folder the work runs in. */
    Path workingDirectory();

    Timeout timeout();

    /** One line that says what the task does: the command, or the agent's prompt. */
    String summary();
}
