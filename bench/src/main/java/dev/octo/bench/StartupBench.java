package dev.octo.bench;

import java.io.ByteArrayOutputStream;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;

/**
 * How long a user waits for Octo: from running {@code ./octo} (the launcher, with a built jar beside
 * it) until the first prompt is on the terminal, once with an empty {@code .octo/} and once with N
 * stored tasks (10,000 by default). The floor, measured in the same run the same way, is a JVM that
 * prints "hi" (the java binary the launcher chose, a class compiled beforehand).
 *
 * <p>Octo runs under a pseudo-terminal ({@code script} of util-linux), as a person starts it: the
 * prompt it waits for is the one the line editor draws when it starts reading, the moment the user
 * can type. Where {@code script} is missing, stdin is a pipe and the plain console answers instead:
 * the time is then to the first line of the reply to {@code /tasks}, sent at once. After the last
 * run of each case the JVM is left idle at its prompt for a few seconds and its resident memory
 * (VmRSS of the java process) is read. Anything printed before the prompt other than the terminal's
 * mode switches is shown, since nothing should be.
 *
 * <p>Run from the repository root: {@code bench/run StartupBench [runs] [tasks]} (bench/run builds).
 */
public final class StartupBench {

    /** "octo> ", or with counts: "octo (2 running)> ". */
    private static final Pattern PROMPT = Pattern.compile("octo(?: \\([^)]*\\))?> ");
    private static final Pattern ESCAPES = Pattern.compile("\u001b(?:\\[[0-9;?]*[a-zA-Z]|[=>])|\r");
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path root = Path.of("").toAbsolutePath();
        Path launcher = root.resolve("octo");
        if (!Files.isRegularFile(root.resolve("bootstrap/target/octo.jar"))) {
            throw new IllegalStateException("no bootstrap/target/octo.jar: bench/run builds it");
        }
        Optional<Path> script = pseudoTerminal();
        Path dir = Files.createTempDirectory("octo-startup");
        try {
            Path empty = Files.createDirectories(dir.resolve("empty"));
            Path full = dir.resolve("full");
            StoreBench.fill(full.resolve(".octo/tasks"), n);
            // the first start may build, find a JDK, prepare the launcher's caches: not measured
            Start first = start(script, List.of(launcher.toString()), empty, true, false);
            System.out.printf("first ./octo in a fresh folder: %.0f ms to the prompt (not counted)%n", first.promptMs());
            Path java = Path.of(Files.readAllLines(root.resolve("bootstrap/target/octo.jdk")).get(1));
            List<String> floor = List.of(java.toString(), "-cp", hiClass(dir).toString(), "Hi");
            // the launcher's caches are prepared in the background after a first start: let them be
            waitForQuiet(root);
            System.out.printf("java: %s%ncache: %s%nterminal: %s%n%d runs each, after one unmeasured run, medians%n%n",
                    java, launcherCache(root),
                    script.map(path -> path + " (a pseudo-terminal); time to the prompt")
                            .orElse("a pipe (no script program); time to the first line of the reply to /tasks"),
                    runs);
            List<String> octo = List.of(launcher.toString());
            Result hi = measure(runs, memory -> start(script, floor, empty, false, false));
            Result emptyStore = measure(runs, memory -> start(script, octo, empty, true, memory));
            Result fullStore = measure(runs, memory -> start(script, octo, full, true, memory));
            hi.print("java Hi (the floor)", hi);
            emptyStore.print("./octo, empty .octo", hi);
            fullStore.print("./octo, " + n + " tasks", hi);
            System.out.printf("%nfull/empty: %.2f (medians)%n", fullStore.median() / emptyStore.median());
        } finally {
            Bench.deleteTree(dir);
        }
    }

    /** The script program of util-linux, which runs a command on a new pseudo-terminal. */
    private static Optional<Path> pseudoTerminal() {
        for (String folder : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(folder, "script");
            if (Files.isExecutable(candidate)) {
                try {
                    Process version = new ProcessBuilder(candidate.toString(), "--version").redirectErrorStream(true).start();
                    String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    if (version.waitFor() == 0 && text.contains("util-linux")) {
                        return Optional.of(candidate);
                    }
                } catch (IOException | InterruptedException e) {
                    // not the one we know how to drive
                }
            }
        }
        return Optional.empty();
    }

    /** A folder with Hi.class, a program that prints "hi", compiled for the oldest JDK Octo runs on. */
    private static Path hiClass(Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("hi"));
        Path source = Files.writeString(folder.resolve("Hi.java"),
                "public class Hi { public static void main(String[] a) { System.out.println(\"hi\"); } }");
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "21", "-d",
                folder.toString(), source.toString());
        if (status != 0) {
            throw new IllegalStateException("Hi.java did not compile");
        }
        return folder;
    }

    /**
     * Waits until the launcher's ahead-of-time cache is made (its rehearsal leaves a marker while it
     * runs) and no java process runs with the build folder on its command line but ours.
     */
    private static void waitForQuiet(Path root) throws InterruptedException {
        Path build = root.resolve("bootstrap/target");
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (System.nanoTime() < deadline && (Files.exists(build.resolve("octo.aot.making"))
                || ProcessHandle.allProcesses().anyMatch(process -> process.pid() != ProcessHandle.current().pid()
                        && process.info().commandLine().orElse("").contains(build.toString())))) {
            Thread.sleep(200);
        }
    }

    /** Which cache the launcher's next start uses, from what it wrote down. */
    private static String launcherCache(Path root) throws IOException {
        Path state = root.resolve("bootstrap/target/octo.aot.state");
        if (Files.isRegularFile(state)) {
            List<String> lines = Files.readAllLines(state);
            if (lines.size() > 1 && lines.get(1).equals("ready")) {
                return "the ahead-of-time cache (bootstrap/target/octo.aot)";
            }
        }
        return "the class-data sharing archive (bootstrap/target/octo.jsa)";
    }

    /**
     * Runs {@code command} in {@code workingDirectory} and waits for its prompt ("hi" for the floor);
     * then, with {@code memory}, reads the idle JVM's resident memory; then leaves with {@code /exit}.
     */
    private static Start start(Optional<Path> script, List<String> command, Path workingDirectory, boolean octo,
            boolean memory) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (script.isPresent()) {
            // a terminal of a size, as a person's has (one that script makes has none)
            StringBuilder shell = new StringBuilder("stty cols 120 rows 40 2>/dev/null; exec");
            for (String word : command) {
                shell.append(" '").append(word.replace("'", "'\\''")).append('\'');
            }
            full.addAll(List.of(script.get().toString(), "-qfec", shell.toString(), "/dev/null"));
        } else {
            full.addAll(command);
        }
        ProcessBuilder builder = new ProcessBuilder(full).directory(workingDirectory.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.matches(
                "(OCTO|BG|CLAUDE|ADDITIONAL_CLAUDE|TELEGRAM|ANTHROPIC|OPENAI|OLLAMA)_.*|JAVA_TOOL_OPTIONS|JDK_JAVA_OPTIONS|NO_COLOR"));
        builder.environment().putIfAbsent("TERM", "xterm-256color");
        long start = System.nanoTime();
        Process process = builder.start();
        OutputStream in = process.getOutputStream();
        if (script.isEmpty() && octo) {
            in.write("/tasks\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
        Pattern awaited = !octo ? Pattern.compile("hi") : script.isPresent() ? PROMPT : Pattern.compile("\\S.*\n");
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        InputStream out = process.getInputStream();
        byte[] buffer = new byte[8192];
        Matcher matcher = null;
        while (matcher == null || !matcher.find()) {
            if (System.nanoTime() - start > TIMEOUT_NANOS) {
                process.destroyForcibly();
                throw new IllegalStateException("no prompt after 120 s; output: " + seen);
            }
            int read = out.read(buffer);
            if (read < 0) {
                throw new IllegalStateException(String.join(" ", command) + " ended before its prompt; output: " + seen);
            }
            seen.write(buffer, 0, read);
            matcher = awaited.matcher(seen.toString(StandardCharsets.UTF_8));
        }
        double promptMs = (System.nanoTime() - start) / 1e6;
        String before = ESCAPES.matcher(seen.toString(StandardCharsets.UTF_8).substring(0, matcher.start())).replaceAll("");
        Long rssKiB = null;
        if (octo) {
            if (memory) {
                rssKiB = idleRss(process);
            }
            in.write("/exit\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
        in.close();
        Thread drain = Thread.ofVirtual().start(() -> {
            try {
                out.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // the process ended
            }
        });
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end after /exit");
        }
        drain.join();
        return new Start(promptMs, before.isBlank() ? "" : before, rssKiB);
    }

    /** The resident memory of the java process under {@code process} after a few idle seconds at the prompt. */
    private static Long idleRss(Process process) throws IOException, InterruptedException {
        Thread.sleep(3_000);
        Optional<ProcessHandle> java = process.toHandle().descendants()
                .filter(handle -> handle.info().command().orElse("").endsWith("/java")).findFirst();
        if (java.isEmpty() && process.info().command().orElse("").endsWith("/java")) {
            java = Optional.of(process.toHandle());
        }
        if (java.isEmpty()) {
            return null;
        }
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(java.get().pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return null;
    }

    record Start(double promptMs, String printedBefore, Long rssKiB) {
    }

    @FunctionalInterface
    interface Run {
        Start run(boolean memory) throws Exception;
    }

    record Result(double[] sortedMs, List<String> printedBefore, Long rssKiB) {

        double median() {
            return sortedMs[sortedMs.length / 2];
        }

        void print(String label, Result floor) {
            System.out.printf("%-24s median %5.0f ms (%4.1fx the floor), min %5.0f, max %5.0f%s%n", label, median(),
                    median() / floor.median(), sortedMs[0], sortedMs[sortedMs.length - 1],
                    rssKiB == null ? "" : String.format(", VmRSS idle at the prompt %d MiB", rssKiB / 1024));
            for (String text : printedBefore) {
                System.out.printf("  printed before the prompt: %s%n", text.strip());
            }
        }
    }

    /** One unmeasured run (it reads the files into the page cache), then {@code runs}. */
    private static Result measure(int runs, Run run) throws Exception {
        run.run(false);
        double[] ms = new double[runs];
        List<String> printed = new ArrayList<>();
        Long rss = null;
        for (int i = 0; i < runs; i++) {
            // the memory of the last run only, which waits at the prompt a few seconds
            Start start = run.run(i == runs - 1);
            ms[i] = start.promptMs();
            if (!start.printedBefore().isEmpty() && !printed.contains(start.printedBefore())) {
                printed.add(start.printedBefore());
            }
            if (start.rssKiB() != null) {
                rss = start.rssKiB();
            }
        }
        Arrays.sort(ms);
        return new Result(ms, printed, rss);
    }
}
