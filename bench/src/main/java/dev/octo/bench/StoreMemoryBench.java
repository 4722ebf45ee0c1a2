package dev.octo.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a large store costs the packaged application at its prompt: Octo started in a terminal (a
 * pseudo-terminal made by {@code script}) with the launcher's JVM flags, once on an empty
 * {@code .octo/} and once on N stored finished tasks (10,000 by default, with the task index the
 * first, unmeasured start writes): the time until the prompt is drawn, and the JVM's resident memory
 * (VmRSS of {@code /proc/<pid>/status}) after it has sat idle at the prompt for a few seconds.
 *
 * <p>Run from the repository root: {@code bench/run StoreMemoryBench [runs] [tasks]}.
 */
public final class StoreMemoryBench {

    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final long IDLE_MS = 3_000;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path root = Path.of("").toAbsolutePath();
        Path jar = root.resolve("bootstrap/target/octo.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": package the project first (bench/run does)");
        }
        List<String> flags = launcherFlags(root.resolve("octo"));
        Path dir = Files.createTempDirectory("octo-memory");
        try {
            Path empty = dir.resolve("empty");
            Path full = dir.resolve("full");
            Files.createDirectories(empty);
            StoreBench.fill(full.resolve(".octo/tasks"), n);
            Files.deleteIfExists(full.resolve(".octo/tasks/index"));
            System.out.printf("java: %s (%s)%nflags: %s%n%d runs each, after one unmeasured run; idle %d ms at the prompt%n",
                    JAVA, Runtime.version(), String.join(" ", flags), runs, IDLE_MS);
            // the unmeasured runs warm the file cache; on the full store, the first writes the index
            run(jar, flags, empty);
            run(jar, flags, full);
            measure("empty .octo", runs, jar, flags, empty);
            measure(n + " tasks", runs, jar, flags, full);
        } finally {
            Bench.deleteTree(dir);
        }
    }

    /** The JVM flags of the launcher's {@code jvm=(...)} array; its caches are left out, this program measures the jar alone. */
    static List<String> launcherFlags(Path launcher) throws IOException {
        for (String line : Files.readAllLines(launcher)) {
            String assignment = line.strip();
            if (assignment.startsWith("jvm=(") && assignment.endsWith(")")) {
                String words = assignment.substring("jvm=(".length(), assignment.length() - 1).strip();
                return words.isEmpty() ? List.of() : List.of(words.split("\\s+"));
            }
        }
        throw new IllegalStateException("no jvm=(...) line in " + launcher);
    }

    record Sample(double promptMs, long rssKiB) {
    }

    private static void measure(String label, int runs, Path jar, List<String> flags, Path workingDirectory)
            throws Exception {
        double[] prompt = new double[runs];
        long[] rss = new long[runs];
        for (int i = 0; i < runs; i++) {
            Sample sample = run(jar, flags, workingDirectory);
            prompt[i] = sample.promptMs();
            rss[i] = sample.rssKiB();
        }
        Arrays.sort(prompt);
        Arrays.sort(rss);
        System.out.printf("%-14s to the prompt: median %5.0f ms (min %5.0f, max %5.0f) | VmRSS idle at the prompt:"
                        + " median %5.1f MiB (min %5.1f, max %5.1f)%n", label, prompt[runs / 2], prompt[0],
                prompt[runs - 1], rss[runs / 2] / 1024.0, rss[0] / 1024.0, rss[runs - 1] / 1024.0);
    }

    /** Starts Octo in a terminal in {@code workingDirectory}, waits for its prompt and idles, then leaves. */
    private static Sample run(Path jar, List<String> flags, Path workingDirectory) throws Exception {
        List<String> java = new ArrayList<>();
        java.add(JAVA);
        java.addAll(flags);
        java.add("-jar");
        java.add(jar.toString());
        // a terminal of no size would have JLine cut the prompt down to "> ..."
        String command = "stty cols 120 rows 40; exec " + String.join(" ", java.stream().map(StoreMemoryBench::quoted).toList());
        ProcessBuilder builder = new ProcessBuilder("script", "-qfec", command, "/dev/null")
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.matches(
                "(OCTO|BG|CLAUDE|ADDITIONAL_CLAUDE|TELEGRAM|ANTHROPIC|OPENAI|OLLAMA)_.*|JAVA_TOOL_OPTIONS|JDK_JAVA_OPTIONS"));
        builder.environment().put("TERM", "xterm");
        builder.environment().put("NO_COLOR", "1");
        long start = System.nanoTime();
        Process script = builder.start();
        try (OutputStream in = script.getOutputStream(); InputStream out = script.getInputStream()) {
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[8192];
            while (seen.indexOf("octo> ") < 0) {
                int read = out.read(buffer);
                if (read < 0) {
                    throw new IllegalStateException("Octo ended before its prompt: " + seen);
                }
                seen.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
            double promptMs = (System.nanoTime() - start) / 1e6;
            Thread.sleep(IDLE_MS);
            ProcessHandle jvm = script.descendants()
                    .filter(process -> process.info().command().filter(c -> c.endsWith("java")).isPresent())
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no java process under script"));
            long rssKiB = vmRssKiB(jvm.pid()).orElseThrow();
            in.write("/exit\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            // drain until it ends
            while (out.read(buffer) >= 0) {
                // nothing to keep
            }
            return new Sample(promptMs, rssKiB);
        } finally {
            if (!script.waitFor(30, TimeUnit.SECONDS)) {
                script.descendants().forEach(ProcessHandle::destroyForcibly);
                script.destroyForcibly();
            }
        }
    }

    private static Optional<Long> vmRssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
            }
        }
        return Optional.empty();
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
