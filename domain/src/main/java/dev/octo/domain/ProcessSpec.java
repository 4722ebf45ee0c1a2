package dev.octo.domain;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;

/**
 * A shell command run by {@code /bin/sh -c}, in {@code workingDirectory}, with {@code environment}
 * laid over Octo's own environment.
 */
public record ProcessSpec(String command, Path workingDirectory, Map<String, String> environment,
        Timeout timeout) implements TaskSpec {

    public ProcessSpec {
        requireNonNull(command, "command is null");
        requireNonNull(workingDirectory, "workingDirectory is null");
        requireNonNull(environment, "environment is null");
        requireNonNull(timeout, "timeout is null");
        if (command.isBlank()) {
            throw new IllegalArgumentException("a process task needs a command");
        }
        environment = Map.copyOf(environment);
    }

    public static ProcessSpec of(String command, Path workingDirectory) {
        return new ProcessSpec(command, workingDirectory, Map.of(), Timeout.NONE);
    }

    @Override
    public TaskKind kind() {
        return TaskKind.PROCESS;
    }

    @Override
    public String summary() {
        return command;
    }

    public ProcessSpec withTimeout(Timeout newTimeout) {
        return new ProcessSpec(command, workingDirectory, environment, newTimeout);
    }
}
