package dev.octo.bench;

import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Peak resident memory of the whole JVM that runs the engine (VmHWM of /proc/self/status: heap,
 * metaspace, thread stacks, code and buffers alike, not only the heap) while one task prints N MiB
 * (1 GiB by default). The output goes straight to the task's log file, so it should not show.
 */
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
            long after = Bench.peakRssMiB();
            System.out.printf("peak RSS: %d MiB before the task, %d MiB at the end (max heap %d MiB)%n", before,
                    after, Runtime.getRuntime().maxMemory() / (1024 * 1024));
            System.out.printf("the task's output grew this JVM's peak resident memory by %d MiB (at most 16 MiB: %s)%n",
                    after - before, after - before <= 16 ? "yes" : "NO");
        } finally {
            Bench.deleteTree(dir);
        }
    }
}
