package dev.octo.application.port.in;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A request for new background work. */
public sealed interface DispatchTask {

    Optional<Duration> timeout();

    /**
     * Run {@code command} in a shell.
     *
     * @param workingDirectory where it runs; empty means Octo's working directory
     */
    record Process(String command, Optional<Duration> timeout, Optional<Path> workingDirectory,
            Map<String, String> environment) implements DispatchTask {
        public Process {
            requireNonNull(command, "command is null");
            requireNonNull(timeout, "timeout is null");
            requireNonNull(workingDirectory, "workingDirectory is null");
            environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        }

        public static Process of(String command) {
            return new Process(command, Optional.empty(), Optional.empty(), Map.of());
        }

        public static Process of(String command, Optional<Duration> timeout) {
            return new Process(command, timeout, Optional.empty(), Map.of());
        }
    }

    /**
     * Have the agent {@code agentName} work on {@code prompt}.
     *
     * @param agentName empty means the default agent
     * @param maxTurns the most turns it may take; empty means the default
     * @param maxTokens its token budget (input and output); empty means the configured one, if any
     */
    record Agent(String prompt, Optional<String> agentName, Optional<Duration> timeout,
            Optional<Path> workingDirectory, Optional<Integer> maxTurns, Optional<Long> maxTokens)
            implements DispatchTask {
        public Agent {
            requireNonNull(prompt, "prompt is null");
            requireNonNull(agentName, "agentName is null");
            requireNonNull(timeout, "timeout is null");
            requireNonNull(workingDirectory, "workingDirectory is null");
            requireNonNull(maxTurns, "maxTurns is null");
            requireNonNull(maxTokens, "maxTokens is null");
        }

        /** An agent with the default limits of turns and tokens. */
        public Agent(String prompt, Optional<String> agentName, Optional<Duration> timeout,
                Optional<Path> workingDirectory) {
            this(prompt, agentName, timeout, workingDirectory, Optional.empty(), Optional.empty());
        }

        public static Agent of(String prompt) {
            return new Agent(prompt, Optional.empty(), Optional.empty(), Optional.empty());
        }
    }
}
