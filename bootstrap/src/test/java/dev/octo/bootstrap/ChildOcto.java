package dev.octo.bootstrap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Octo's CLI entry point running in a JVM of its own, driven through its stdin. */
final class ChildOcto implements DrivenOcto, AutoCloseable {

    private final Process process;
    private final Writer stdin;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private ChildOcto(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.stdoutReader = Thread.ofVirtual().start(() -> {
            try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child was killed
            }
        });
        this.stderrReader = Thread.ofVirtual().start(() -> {
            try (BufferedReader err = process.errorReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = err.readLine()) != null) {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the child was killed
            }
        });
    }

    static ChildOcto start(Path workingDirectory, Map<String, String> environment, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Octo.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().putAll(environment);
        return new ChildOcto(builder.start());
    }

    /**
     * The packaged application, started the way the {@code octo} launcher starts it: {@code java}
     * with the launcher's flags and {@code -jar octo.jar}. Settings of Octo and of the JVM that the
     * environment of this test run may hold are not passed on, so that only {@code environment}
     * counts.
     */
    static ChildOcto packaged(Path jar, List<String> jvmFlags, Path workingDirectory, Map<String, String> environment,
            String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmFlags);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().keySet().removeIf(name -> name.matches(
                "(OCTO|BG|CLAUDE|ADDITIONAL_CLAUDE|TELEGRAM|ANTHROPIC|OPENAI|OLLAMA)_.*|JAVA_TOOL_OPTIONS|JDK_JAVA_OPTIONS|_JAVA_OPTIONS"));
        builder.environment().putAll(environment);
        return new ChildOcto(builder.start());
    }

    /** The exit code, once the child ends within {@code limit}. */
    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("Octo did not end within " + limit + "; output: " + lines + "; stderr: " + stderr());
        }
        // the readers end at the end of the child's output, with its last lines read
        stdoutReader.join(Duration.ofSeconds(10));
        stderrReader.join(Duration.ofSeconds(10));
        return process.exitValue();
    }

    @Override
    public void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    void endInput() throws IOException {
        stdin.close();
    }

    @Override
    public List<String> output() {
        return List.copyOf(lines);
    }

    @Override
    public boolean ended() {
        return !process.isAlive();
    }

    @Override
    public String diagnostics() {
        return "output: " + lines + "; stderr: " + stderr();
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /**
     * Sends SIGTERM, as a service manager stops a service. Through the process handle: {@link
     * Process#destroy()} would also close the pipes, and what the child says while it stops be lost.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
