package dev.octo.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How long the packaged application takes to answer: from launching {@code java -jar
 * bootstrap/target/octo.jar}, with the JVM flags of the {@code octo} launcher, with {@code /tasks}
 * on its stdin, until the first line of the reply is on its stdout; and until it has ended. Once
 * with an empty {@code .octo/}, once with N stored tasks (10,000 by default); then the same with an
 * AppCDS archive added to the launcher's flags ({@code -XX:SharedArchiveFile -XX:+AutoCreateSharedArchive},
 * JDK 19 and later, with {@code -Xlog:cds*=off}), which the first, unmeasured run creates.
 *
 * <p>Run from the repository root after a package: {@code bench/run StartupBench [runs] [tasks]}.
 */
public final class StartupBench {

    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path root = Path.of("").toAbsolutePath();
        Path jar = root.resolve("bootstrap/target/octo.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": package the project first (bench/run does)");
        }
        List<String> launcherFlags = launcherFlags(root.resolve("octo"));
        Path dir = Files.createTempDirectory("octo-startup");
        try {
            Path full = dir.resolve("full");
            StoreBench.fill(full.resolve(".octo/tasks"), n);
            List<String> withCds = new ArrayList<>(launcherFlags);
            withCds.add("-XX:SharedArchiveFile=" + dir.resolve("octo.jsa"));
            withCds.add("-XX:+AutoCreateSharedArchive");
            // the run that writes the archive warns of every class it skips, on stdout by default
            withCds.add("-Xlog:cds*=off");
            System.out.printf("java: %s (%s)%nlauncher flags: %s%n%d runs each, after one unmeasured run%n%n", JAVA,
                    Runtime.version(), String.join(" ", launcherFlags), runs);
            for (List<String> flags : List.of(launcherFlags, withCds)) {
                String label = flags == launcherFlags ? "launcher flags" : "launcher flags + AppCDS";
                if (flags != launcherFlags) {
                    System.out.printf("AppCDS flags: %s%n", String.join(" ", flags.subList(launcherFlags.size(), flags.size())));
                }
                // the unmeasured run warms the file cache and, with AppCDS, writes the archive; it
                // lists the stored tasks, so that the archive holds what reading them needs
                Timing first = launch(jar, flags, full, n);
                System.out.printf("%s: first run %.0f ms to the first line%n", label, first.firstLineMs());
                int[] counter = {0};
                measure(label + ", empty .octo", runs, () -> {
                    Path empty = dir.resolve("empty-" + counter[0]++);
                    Files.createDirectories(empty);
                    return launch(jar, flags, empty, 0);
                });
                measure(label + ", " + n + " tasks", runs, () -> launch(jar, flags, full, n));
                System.out.println();
            }
        } finally {
            Bench.deleteTree(dir);
        }
    }

    /** The JVM flags of the launcher's {@code exec "$java_bin" ... -jar "$jar" "$@"} line. */
    static List<String> launcherFlags(Path launcher) throws IOException {
        for (String line : Files.readAllLines(launcher)) {
            String exec = line.strip();
            if (exec.startsWith("exec \"$java_bin\"")) {
                List<String> words = Arrays.asList(exec.split("\\s+"));
                int jarFlag = words.indexOf("-jar");
                if (jarFlag < 2) {
                    throw new IllegalStateException("no -jar in " + exec);
                }
                // the launcher's own class-data sharing array is left out: this program adds AppCDS itself
                return words.subList(2, jarFlag).stream().filter(word -> !word.startsWith("\"${")).toList();
            }
        }
        throw new IllegalStateException("no exec line in " + launcher);
    }

    record Timing(double firstLineMs, double exitMs) {
    }

    @FunctionalInterface
    interface Run {
        Timing run() throws Exception;
    }

    private static void measure(String label, int runs, Run run) throws Exception {
        double[] firstLine = new double[runs];
        double[] exit = new double[runs];
        for (int i = 0; i < runs; i++) {
            Timing timing = run.run();
            firstLine[i] = timing.firstLineMs();
            exit[i] = timing.exitMs();
        }
        Arrays.sort(firstLine);
        Arrays.sort(exit);
        System.out.printf("%-45s first reply line: median %5.0f ms, max %5.0f ms | ended: median %5.0f ms, max %5.0f ms%n",
                label, firstLine[runs / 2], firstLine[runs - 1], exit[runs / 2], exit[runs - 1]);
    }

    /** Starts Octo in {@code workingDirectory}, sends {@code /tasks}, and times its first line and its end. */
    private static Timing launch(Path jar, List<String> flags, Path workingDirectory, int expectedTasks)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(JAVA);
        command.addAll(flags);
        command.add("-jar");
        command.add(jar.toString());
        Path stderr = workingDirectory.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(name -> name.matches(
                "(OCTO|BG|CLAUDE|ADDITIONAL_CLAUDE|TELEGRAM|ANTHROPIC|OPENAI|OLLAMA)_.*|JAVA_TOOL_OPTIONS|JDK_JAVA_OPTIONS"));
        long start = System.nanoTime();
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            in.write("/tasks\n".getBytes(StandardCharsets.UTF_8));
        }
        double firstLineMs;
        long lines = 1;
        try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
            String first = out.readLine();
            firstLineMs = (System.nanoTime() - start) / 1e6;
            String expected = expectedTasks == 0 ? "No tasks yet." : "ID ";
            if (first == null || !first.startsWith(expected)) {
                throw new IllegalStateException("unexpected first line " + first + "; stderr: " + Files.readString(stderr));
            }
            while (out.readLine() != null) {
                lines++;
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("Octo did not end");
        }
        double exitMs = (System.nanoTime() - start) / 1e6;
        // the header, the newest 50 tasks, and a line that counts the older ones
        long expectedLines = 1 + Math.min(expectedTasks, 50) + (expectedTasks > 50 ? 1 : 0);
        if (process.exitValue() != 0 || (expectedTasks > 0 && lines != expectedLines)) {
            throw new IllegalStateException("exit " + process.exitValue() + " after " + lines + " lines; stderr: "
                    + Files.readString(stderr));
        }
        return new Timing(firstLineMs, exitMs);
    }
}
