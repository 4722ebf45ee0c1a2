package dev.octo.bench;

import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Peak resident memory of the whole JVM while one task prints N MiB (1 GiB by default). */
public final class OutputMemoryBench {

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1_024;
        Path dir = Files.createTempDirectory("octo-memory");
        try (TaskEngine engine = Bench.engine(dir.resolve(".octo"), 3)) {
            engine.start();
            long before = Bench.peakRssMiB();
            long start = System.nanoTime();
            TaskOutcome outcome = engine.dispatch(DispatchTask.Process.of(
                    "head -c " + (mib * 1024 * 1024) + " /dev/zero | tr '\\0' 'x'"));
            Task task = ((TaskOutcome.Done) outcome).task();
            Task done = engine.awaitFinal(task.id(), Duration.ofMinutes(10)).orElseThrow();
            double seconds = Bench.seconds(System.nanoTime() - start);
            long logBytes = Files.size(dir.resolve(".octo/tasks/" + task.id() + ".out.log"));
            System.out.printf("output: %d MiB in %.1f s, task %s, log %d bytes, result %d chars%n", mib, seconds,
                    done.status().label(), logBytes, done.result().map(String::length).orElse(0));
            System.out.printf("peak RSS: %d MiB before the task, %d MiB at the end (max heap %d MiB)%n", before,
                    Bench.peakRssMiB(), Runtime.getRuntime().maxMemory() / (1024 * 1024));
        } finally {
            Bench.deleteTree(dir);
        }
    }
}
