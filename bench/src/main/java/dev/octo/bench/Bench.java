package dev.octo.bench;

import dev.octo.adapters.llm.UnconfiguredAgentRunner;
import dev.octo.adapters.persistence.JsonFileTaskStore;
import dev.octo.adapters.process.LocalProcessRunner;
import dev.octo.application.service.RandomTaskIds;
import dev.octo.application.service.EngineSettings;
import dev.octo.application.service.TaskEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the benchmark programs share: a real engine on a folder, and peak memory. */
final class Bench {

    private Bench() {
    }

    static TaskEngine engine(Path octoDir, int maxConcurrent) {
        Path tasks = octoDir.resolve("tasks");
        JsonFileTaskStore store = new JsonFileTaskStore(tasks);
        return new TaskEngine(store, new RandomTaskIds(store), Clock.systemDefaultZone(),
                new LocalProcessRunner(tasks), new UnconfiguredAgentRunner(),
                EngineSettings.defaults(octoDir.getParent()).withMaxConcurrent(maxConcurrent));
    }

    /** The peak resident set size of this JVM so far, in MiB (Linux). */
    static long peakRssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
