package dev.octo.bootstrap;

import dev.octo.adapters.cli.JLineConsole;
import dev.octo.adapters.persistence.InstanceLock;
import dev.octo.adapters.persistence.JsonWarmUp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A start of the terminal front end, rehearsed for the JVM's ahead-of-time cache. The launcher runs
 * it in the background with {@code -XX:AOTCacheOutput} when the cache is missing or older than the
 * build; later starts map the classes it loaded and linked instead of doing that work again, which
 * halves the time to the first prompt. It starts as {@code octo} does, in an empty folder of its own
 * and with no configuration (so that no bot and no model is contacted), types a few commands at the
 * prompt of a terminal drawn in memory, and leaves.
 */
public final class StartRehearsal {

    /** What the rehearsal types: what a start shows first, and the way out. */
    static final String TYPED = "/tasks\n/help\n/exit\n";

    private StartRehearsal() {
    }

    public static void main(String[] args) throws IOException {
        Path folder = Files.createTempDirectory("octo-rehearsal");
        int code;
        try {
            code = rehearse(folder);
        } finally {
            deleteTree(folder);
        }
        System.exit(code);
    }

    /** Starts Octo in {@code workingDirectory}, types {@link #TYPED}, and returns its exit status. */
    static int rehearse(Path workingDirectory) throws IOException {
        Logging.neverToTheConsole();
        Logging.keepOffTheTerminal();
        // as the task store does once a start has drawn its first prompt, so that Jackson's classes are cached too
        JsonWarmUp.run();
        OctoConfig config = ConfigLoader.load(Map.of(), workingDirectory);
        ConfigLoader.prepareStateFolder(config);
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        try (InstanceLock lock = InstanceLock.acquire(config.octoDir());
                JLineConsole.Opening opening = JLineConsole.openTerminal(
                        new ByteArrayInputStream(TYPED.getBytes(StandardCharsets.UTF_8)),
                        OutputStream.nullOutputStream(), config.octoDir().resolve("history"))) {
            Logging.toFile(config.logsDirectory());
            return Octo.runCli(config, opening, InputStream.nullInputStream(), nowhere, nowhere);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
