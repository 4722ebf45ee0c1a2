package dev.octo.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link Octo#run} on a thread of this JVM, its stdin a pipe the test writes to line by line and
 * its stdout and stderr collected as lines.
 */
final class InProcessOcto implements DrivenOcto, AutoCloseable {

    private final PipedOutputStream stdin;
    private final Lines stdout = new Lines();
    private final Lines stderr = new Lines();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    private InProcessOcto(Path workingDirectory, Map<String, String> environment) throws IOException {
        // the pipe's reader gives up on a writer thread that ended: only the test thread writes
        PipedInputStream in = new PipedInputStream(64 * 1024);
        this.stdin = new PipedOutputStream(in);
        Thread thread = new Thread(() -> {
            try {
                exit.complete(Octo.run(new String[0], environment, workingDirectory, in,
                        new PrintStream(stdout, true, StandardCharsets.UTF_8),
                        new PrintStream(stderr, true, StandardCharsets.UTF_8)));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, "octo-under-test");
        thread.setDaemon(true);
        thread.start();
    }

    static InProcessOcto start(Path workingDirectory, Map<String, String> environment) throws IOException {
        return new InProcessOcto(workingDirectory, environment);
    }

    @Override
    public void send(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    void endInput() throws IOException {
        stdin.close();
    }

    @Override
    public List<String> output() {
        return stdout.lines();
    }

    @Override
    public boolean ended() {
        return exit.isDone();
    }

    @Override
    public String diagnostics() {
        return "stdout: " + stdout.lines() + "; stderr: " + stderr.lines();
    }

    int awaitExit(Duration limit) throws InterruptedException, ExecutionException {
        try {
            return exit.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("Octo did not end within " + limit + "; stdout: " + stdout.lines());
        }
    }

    List<String> stdout() {
        return stdout.lines();
    }

    List<String> stderr() {
        return stderr.lines();
    }

    @Override
    public void close() throws Exception {
        endInput();
        if (!exit.isDone()) {
            awaitExit(Duration.ofSeconds(30));
        }
    }

    /** An output stream cut into lines as they are written, readable while it is written to. */
    static final class Lines extends OutputStream {

        private final ByteArrayOutputStream current = new ByteArrayOutputStream();
        private final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(current.toString(StandardCharsets.UTF_8));
                current.reset();
            } else {
                current.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }

        /** The complete lines so far, and a last line not yet ended. */
        synchronized List<String> lines() {
            if (current.size() == 0) {
                return List.copyOf(lines);
            }
            List<String> all = new java.util.ArrayList<>(lines);
            all.add(current.toString(StandardCharsets.UTF_8));
            return List.copyOf(all);
        }
    }
}
