package dev.octo.bench;

import dev.octo.adapters.llm.UnconfiguredSupervisorChat;
import dev.octo.adapters.persistence.JsonFileTaskStore;
import dev.octo.application.port.in.Reply;
import dev.octo.application.service.CommandInterpreter;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.Transition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * N stored finished tasks (10,000 by default): how long the store's scan takes at start, and how
 * long the {@code /tasks} path takes once started (the use case alone, and the whole command with
 * its text table).
 */
public final class StoreBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = Files.createTempDirectory("octo-store");
        Path octoDir = dir.resolve(".octo");
        try {
            fill(octoDir.resolve("tasks"), n);
            for (int round = 1; round <= 3; round++) {
                long start = System.nanoTime();
                JsonFileTaskStore store = new JsonFileTaskStore(octoDir.resolve("tasks"));
                double scanMs = (System.nanoTime() - start) / 1e6;
                System.out.printf("round %d: store scan of %d tasks at start: %.0f ms (%d loaded)%n", round, n, scanMs,
                        store.list().size());
            }
            try (TaskEngine engine = Bench.engine(octoDir, 3)) {
                engine.start();
                CommandInterpreter interpreter = CommandInterpreter.over(engine, id -> List.of(), new UnconfiguredSupervisorChat(),
                        Clock.systemDefaultZone());
                double[] listMs = new double[21];
                double[] commandMs = new double[21];
                for (int i = 0; i < listMs.length; i++) {
                    long start = System.nanoTime();
                    int size = engine.list(Optional.empty()).size();
                    listMs[i] = (System.nanoTime() - start) / 1e6;
                    start = System.nanoTime();
                    Reply reply = interpreter.handle("bench", "/tasks");
                    commandMs[i] = (System.nanoTime() - start) / 1e6;
                    if (size != n || !(reply instanceof Reply.Tasks tasks && tasks.rows().size() == n)) {
                        throw new IllegalStateException("listed " + size + " of " + n);
                    }
                }
                Arrays.sort(listMs);
                Arrays.sort(commandMs);
                System.out.printf("listing %d tasks (newest first): median %.1f ms, max %.1f ms%n", n,
                        listMs[listMs.length / 2], listMs[listMs.length - 1]);
                System.out.printf("/tasks command with its table: median %.1f ms, max %.1f ms%n",
                        commandMs[commandMs.length / 2], commandMs[commandMs.length - 1]);
            }
        } finally {
            Bench.deleteTree(dir);
        }
    }

    /** Stores n completed tasks, written in parallel to save time; their content is realistic. */
    static void fill(Path tasks, int n) {
        JsonFileTaskStore store = new JsonFileTaskStore(tasks);
        Random random = new Random(42);
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        Task[] all = new Task[n];
        for (int i = 0; i < n; i++) {
            Instant at = base.plusSeconds(i * 7L);
            TaskId id = TaskId.random(random, candidate -> false);
            Task task = Task.dispatch(id, ProcessSpec.of("make test TARGET=" + i, tasks.getParent()), at);
            task = ((Transition.Applied) task.start(at.plusSeconds(1))).task();
            all[i] = ((Transition.Applied) task.complete("ok " + i + "\n".repeat(3), at.plusSeconds(5))).task();
        }
        IntStream.range(0, n).parallel().forEach(i -> store.save(all[i]));
    }
}
