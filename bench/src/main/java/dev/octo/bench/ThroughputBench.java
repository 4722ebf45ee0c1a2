package dev.octo.bench;

import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * N process tasks running {@code true} through the real pool, store and runner at
 * BG_MAX_CONCURRENT=3, from the first dispatch until all are final, beside
 * {@code seq N | xargs -P3 -I{} sh -c true} measured in the same run. Every task write is durable.
 */
public final class ThroughputBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("throughput: %d tasks running 'true', 3 at once, %d rounds%n", n, rounds);
        for (int round = 1; round <= rounds; round++) {
            double xargs = xargs(n);
            double octo = octo(n);
            System.out.printf("round %d: octo %.0f tasks/s (%.2f s), xargs %.0f tasks/s (%.2f s), octo takes %.2fx xargs' time%n",
                    round, n / octo, octo, n / xargs, xargs, octo / xargs);
        }
    }

    private static double xargs(int n) throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder("sh", "-c", "seq " + n + " | xargs -P3 -I{} sh -c true")
                .inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("xargs failed");
        }
        return Bench.seconds(System.nanoTime() - start);
    }

    private static double octo(int n) throws Exception {
        Path dir = Files.createTempDirectory("octo-throughput");
        Path octoDir = dir.resolve(".octo");
        try (TaskEngine engine = Bench.engine(octoDir, 3)) {
            engine.start();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                engine.dispatch(DispatchTask.Process.of("true"));
            }
            if (!engine.awaitAllSettled(Duration.ofMinutes(10))) {
                throw new IllegalStateException("tasks still running after 10 minutes");
            }
            double seconds = Bench.seconds(System.nanoTime() - start);
            long completed = engine.list(Optional.of(TaskStatus.COMPLETED)).size();
            if (completed != n) {
                throw new IllegalStateException(completed + " of " + n + " tasks completed");
            }
            return seconds;
        } finally {
            Bench.deleteTree(dir);
        }
    }
}
