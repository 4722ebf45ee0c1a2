package dev.octo.adapters.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.CommandRunner;
import dev.octo.application.port.out.ProcessStartException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Runs an agent's commands as local processes: {@code setsid /bin/sh -c <command>}, so that the
 * shell leads a process group of its own and signalling the group reaches everything the command
 * started, as for process tasks ({@link LocalProcessRunner}). Its output comes through a pipe into
 * this JVM, where only its start and its end are kept. A command that runs past its time, or whose
 * caller is interrupted, gets a TERM to its group, and a KILL after {@code killGrace}.
 */
public final class LocalCommandRunner implements CommandRunner {

    private static final System.Logger LOG = System.getLogger(LocalCommandRunner.class.getName());
    static final Duration DEFAULT_KILL_GRACE = Duration.ofMillis(500);
    /** How long the output is read on after the command and its group are gone. */
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(2);
    private static final List<Path> SETSID_CANDIDATES = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private final Duration killGrace;
    private final Optional<Path> setsid;

    public LocalCommandRunner() {
        this(DEFAULT_KILL_GRACE);
    }

    /** Waits {@code killGrace} between the TERM and the KILL of a command that is stopped. */
    public LocalCommandRunner(Duration killGrace) {
        this.killGrace = requireNonNull(killGrace, "killGrace is null");
        if (killGrace.isNegative()) {
            throw new IllegalArgumentException("a kill grace is not negative, not " + killGrace);
        }
        this.setsid = SETSID_CANDIDATES.stream().filter(Files::isExecutable).findFirst();
    }

    @Override
    public CommandResult run(Path workingDirectory, String command, Duration timeout, int maxOutputBytes)
            throws InterruptedException {
        requireNonNull(workingDirectory, "workingDirectory is null");
        requireNonNull(command, "command is null");
        requireNonNull(timeout, "timeout is null");
        if (maxOutputBytes < 2) {
            throw new IllegalArgumentException("maxOutputBytes is at least 2, not " + maxOutputBytes);
        }
        if (!Files.isDirectory(workingDirectory)) {
            throw new ProcessStartException("The working directory " + workingDirectory + " is not a directory");
        }
        List<String> argv = new ArrayList<>();
        setsid.ifPresent(program -> argv.add(program.toString()));
        argv.addAll(List.of("/bin/sh", "-c", command));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(workingDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(LocalProcessRunner.DEV_NULL))
                .redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ProcessStartException("Cannot start the command: " + e.getMessage(), e);
        }
        ProcessTree tree = setsid.isPresent() ? new ProcessTree.Group(process.toHandle(), Optional.empty())
                : new ProcessTree.Descendants(process.toHandle());
        BoundedOutput output = new BoundedOutput(maxOutputBytes);
        Thread reader = Thread.ofVirtual().name("octo-command-output").start(() -> output.readAll(process.getInputStream()));
        boolean ended;
        try {
            ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            stop(tree, process);
            reader.interrupt();
            throw e;
        }
        // the command has ended or run out of time: nothing of its group outlives it
        stop(tree, process);
        reader.join(DRAIN_WAIT.toMillis());
        if (reader.isAlive()) {
            LOG.log(Level.WARNING, "the output of command {0} was still open after it ended", command);
            reader.interrupt();
        }
        OptionalInt exit = ended ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
        return new CommandResult(exit, output.text(), output.omitted());
    }

    /** TERM to the group, KILL after the grace to what is left; the caller's interrupt is kept. */
    private void stop(ProcessTree tree, Process process) {
        boolean interrupted = Thread.interrupted();
        try {
            if (tree.isGone()) {
                return;
            }
            tree.term();
            long deadline = System.nanoTime() + killGrace.toNanos();
            while (!tree.isGone() && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            if (!tree.isGone()) {
                tree.kill();
            }
            process.waitFor(killGrace.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
            tree.kill();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The first and the last half of a stream's bytes, and how many lay between them. */
    static final class BoundedOutput {

        private final int half;
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        private final byte[] tail;
        private int tailStart;
        private int tailLength;
        private long total;

        BoundedOutput(int maxBytes) {
            this.half = maxBytes / 2;
            this.tail = new byte[maxBytes - half];
        }

        void readAll(InputStream in) {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    append(buffer, n);
                }
            } catch (IOException e) {
                // the pipe closed under us: what was read is kept
            }
        }

        synchronized void append(byte[] bytes, int length) {
            total += length;
            int offset = 0;
            if (head.size() < half) {
                int taken = Math.min(half - head.size(), length);
                head.write(bytes, 0, taken);
                offset = taken;
            }
            for (int i = offset; i < length; i++) {
                int at = (tailStart + tailLength) % tail.length;
                tail[at] = bytes[i];
                if (tailLength < tail.length) {
                    tailLength++;
                } else {
                    tailStart = (tailStart + 1) % tail.length;
                }
            }
        }

        synchronized long omitted() {
            return total - head.size() - tailLength;
        }

        synchronized String text() {
            byte[] end = new byte[tailLength];
            for (int i = 0; i < tailLength; i++) {
                end[i] = tail[(tailStart + i) % tail.length];
            }
            String start = head.toString(UTF_8);
            long left = omitted();
            return left == 0 ? start + new String(end, UTF_8)
                    : start + "\n[... " + left + " bytes left out ...]\n" + new String(end, UTF_8);
        }
    }
}
