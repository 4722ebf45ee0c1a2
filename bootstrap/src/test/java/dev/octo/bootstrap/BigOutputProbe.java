package dev.octo.bootstrap;

import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.Task;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs in a JVM of its own with a small heap: one task that prints {@code args[1]} bytes through the
 * real core on the folder {@code args[0]}; prints the task's status and the length of its result.
 */
public final class BigOutputProbe {

    public static void main(String[] args) throws Exception {
        Path octoDir = Path.of(args[0]);
        long bytes = Long.parseLong(args[1]);
        try (TaskEngine engine = CoreOnDisk.engine(octoDir, 1)) {
            engine.start();
            TaskOutcome outcome = engine.dispatch(DispatchTask.Process.of(
                    "head -c " + bytes + " /dev/zero | tr '\\0' 'y'; echo; echo the-end"));
            Task task = ((TaskOutcome.Done) outcome).task();
            Task done = engine.awaitFinal(task.id(), Duration.ofMinutes(5)).orElseThrow();
            System.out.println("id=" + done.id());
            System.out.println("status=" + done.status().label());
            System.out.println("result-length=" + done.result().map(String::length).orElse(-1));
            System.out.println("result-ends=" + done.result().map(r -> r.strip().endsWith("the-end")).orElse(false));
        }
    }
}
