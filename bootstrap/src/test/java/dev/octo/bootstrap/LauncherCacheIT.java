package dev.octo.bootstrap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octo.application.fakes.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code octo} launcher with the packaged application and the JDK this test runs on: whatever
 * state its caches are in (missing, being made, made, older than the build, damaged), a start prints
 * nothing but what Octo prints. On JDK 25 and later the launcher makes the ahead-of-time cache in the
 * background; on older JDKs it finds it cannot and keeps class-data sharing. Run by failsafe after
 * the package phase.
 */
class LauncherCacheIT {

    /** Making the cache runs a JVM twice and assembles the cache, at low priority on a busy machine. */
    private static final Duration MADE = Duration.ofMinutes(3);
    private static final Pattern PROMPT = Pattern.compile("octo(?: \\([^)]*\\))?> ");
    /** The terminal modes a line editor switches, and carriage returns. */
    private static final Pattern ESCAPES = Pattern.compile("\u001b(?:\\[[0-9;?]*[a-zA-Z]|[=>])|\r");

    @TempDir
    Path root;
    @TempDir
    Path workingDirectory;
    private Path target;

    /** A copy of the launcher beside a copy of the packaged application, so that its caches are its own. */
    @BeforeEach
    void aLauncherBesideThePackagedApplication() throws IOException {
        Path jar = Path.of(System.getProperty("octo.jar", "target/octo.jar")).toAbsolutePath();
        assertThat(jar).as("the packaged application; run `mvnw verify`, not `test`").isRegularFile();
        Files.copy(Path.of(System.getProperty("octo.launcher", "../octo")), root.resolve("octo"));
        target = Files.createDirectories(root.resolve("bootstrap/target"));
        Files.copy(jar, target.resolve("octo.jar"), StandardCopyOption.COPY_ATTRIBUTES);
    }

    private ProcessBuilder launcher(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().keySet().removeIf(name -> name.matches(
                "(OCTO|BG|CLAUDE|ADDITIONAL_CLAUDE|TELEGRAM|ANTHROPIC|OPENAI|OLLAMA)_.*|JAVA_TOOL_OPTIONS|JDK_JAVA_OPTIONS"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putIfAbsent("TERM", "xterm-256color");
        return builder;
    }

    /** {@code ./octo --version}: it ends well and prints its version alone, on stdout. */
    private void versionAloneIsPrinted(String when) throws Exception {
        Process process = launcher(List.of("bash", root.resolve("octo").toString(), "--version")).start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        String stdout = readAll(process.getInputStream());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(when).isTrue();
        assertThat(stderr.get()).as("stderr %s", when).isEmpty();
        assertThat(stdout).as("stdout %s", when).matches("octo \\d+\\.\\d+\\.\\d+\\S*\n");
        assertThat(process.exitValue()).as(when).isZero();
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the background rehearsal to end, and returns what it wrote down: "ready" or "unavailable". */
    private String awaitCacheState() throws IOException {
        Path state = target.resolve("octo.aot.state");
        Eventually.await("the cache is made", MADE,
                () -> Files.exists(state) && !Files.exists(target.resolve("octo.aot.making")));
        return Files.readAllLines(state).get(1);
    }

    @Test
    void aStartPrintsOnlyItsOwnOutputWhateverStateTheCacheIsIn() throws Exception {
        versionAloneIsPrinted("while the cache is missing");
        String made = awaitCacheState();
        assertThat(made).isEqualTo(Runtime.version().feature() >= 25 ? "ready" : "unavailable");
        versionAloneIsPrinted("with the cache made");

        // a build after the cache was made
        Path state = target.resolve("octo.aot.state");
        Files.setLastModifiedTime(state,
                FileTime.from(Files.getLastModifiedTime(target.resolve("octo.jar")).toInstant().minusSeconds(10)));
        versionAloneIsPrinted("with a cache older than the build");
        assertThat(awaitCacheState()).isEqualTo(made);
        versionAloneIsPrinted("with the cache made again");
    }

    @Test
    void aDamagedCacheIsNotMappedEvenWhenItsTimeIsSetBack() throws Exception {
        versionAloneIsPrinted("while the cache is missing");
        assumeTrue(awaitCacheState().equals("ready"), "this JDK makes no ahead-of-time cache");
        Path cache = target.resolve("octo.aot");
        FileTime made = Files.getLastModifiedTime(cache);

        // bytes of its header overwritten: a JVM that maps such a cache may crash
        try (RandomAccessFile file = new RandomAccessFile(cache.toFile(), "rw")) {
            file.seek(100);
            file.write("damaged!".getBytes(UTF_8));
        }
        Files.setLastModifiedTime(cache, made);

        versionAloneIsPrinted("with a damaged cache");
        assertThat(awaitCacheState()).isEqualTo("ready");
        versionAloneIsPrinted("with the cache made again");
    }

    @Test
    void nothingIsPrintedBeforeTheFirstPrompt() throws Exception {
        Path script = Path.of("/usr/bin/script");
        assumeTrue(Files.isExecutable(script), "no script program to give Octo a terminal");
        for (String when : List.of("while the cache is made", "with the cache made")) {
            // a terminal of a size, as a person's has (the one script makes has none)
            Process process = launcher(List.of(script.toString(), "-qfec",
                    "stty cols 120 rows 40 2>/dev/null; exec bash '" + root.resolve("octo") + "'", "/dev/null"))
                    .redirectErrorStream(true).start();
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            InputStream out = process.getInputStream();
            byte[] buffer = new byte[4096];
            Matcher prompt = PROMPT.matcher("");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!prompt.reset(seen.toString(UTF_8)).find() && System.nanoTime() < deadline) {
                int read = out.read(buffer);
                if (read < 0) {
                    break;
                }
                seen.write(buffer, 0, read);
            }
            assertThat(prompt.reset(seen.toString(UTF_8)).find()).as("a prompt %s; the terminal showed %s", when, seen)
                    .isTrue();
            assertThat(ESCAPES.matcher(seen.toString(UTF_8).substring(0, prompt.start())).replaceAll(""))
                    .as("printed before the prompt %s", when).isBlank();
            try (OutputStream in = process.getOutputStream()) {
                in.write("/exit\n".getBytes(UTF_8));
            }
            out.transferTo(OutputStream.nullOutputStream());
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
            awaitCacheState();
        }
    }
}
