package dev.octo.application.port.out;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * Runs a short shell command on behalf of an agent and waits for it, under the rules of process
 * tasks: {@code /bin/sh -c} with an empty stdin, in a process group of its own that is killed as a
 * whole when its time runs out or its caller is interrupted, its output kept to a bounded size.
 * Unlike a {@link ProcessRunner} task, the command does not outlive its caller.
 */
public interface CommandRunner {

    /**
     * Runs {@code command} in {@code workingDirectory} and waits until it ends, or until
     * {@code timeout} has passed and its process group was killed. When the command itself has
     * ended, what it left running in its process group is killed too.
     *
     * @param maxOutputBytes how much of its output (stdout and stderr, interleaved as written) is
     *     kept: its start and its end, with what lay between them left out
     * @throws InterruptedException when the calling thread is interrupted; the command's process
     *     group has been killed then
     * @throws ProcessStartException when the command cannot be started
     */
    CommandResult run(Path workingDirectory, String command, Duration timeout, int maxOutputBytes)
            throws InterruptedException;

    /**
     * How a command ended.
     *
     * @param exitCode its exit status; empty when it was killed because its time ran out
     * @param output what it wrote, cut as asked
     * @param omittedBytes how many bytes of its output were left out of {@code output}
     */
    record CommandResult(OptionalInt exitCode, String output, long omittedBytes) {
        public CommandResult {
            requireNonNull(exitCode, "exitCode is null");
            requireNonNull(output, "output is null");
            if (omittedBytes < 0) {
                throw new IllegalArgumentException("omittedBytes is not negative, not " + omittedBytes);
            }
        }

        public boolean timedOut() {
            return exitCode.isEmpty();
        }
    }
}
