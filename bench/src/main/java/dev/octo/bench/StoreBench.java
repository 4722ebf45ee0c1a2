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
 * N stored finished tasks (10,000 by default): how long the store's scan takes at start, without its
 * index (the first start after the index was lost: every task file is read) and with it; and how
 * long listing takes once started: the use case's list of all tasks, {@code /tasks} (the newest 50)
 * and {@code /tasks all}, each as the command with its reply rendered as text. Medians of several
 * rounds.
 */
public final class StoreBench {

    private static final int LIST_ROUNDS = 31;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = Files.createTempDirectory("octo-store");
        Path octoDir = dir.resolve(".octo");
        Path tasks = octoDir.resolve("tasks");
        try {
            fill(tasks, n);
            double[] withoutIndex = new double[3];
            for (int round = 0; round < withoutIndex.length; round++) {
                Files.deleteIfExists(tasks.resolve("index"));
                withoutIndex[round] = scan(tasks, n);
            }
            double[] withIndex = new double[7];
            for (int round = 0; round < withIndex.length; round++) {
                withIndex[round] = scan(tasks, n);
            }
            System.out.printf("store scan of %d tasks at start, without its index (every file read): %s%n", n,
                    figures(withoutIndex));
            System.out.printf("store scan of %d tasks at start, with its index:                     %s%n", n,
                    figures(withIndex));
            try (TaskEngine engine = Bench.engine(octoDir, 3)) {
                engine.start();
                CommandInterpreter interpreter = CommandInterpreter.over(engine, id -> List.of(), new UnconfiguredSupervisorChat(),
                        Clock.systemDefaultZone());
                double[] listMs = new double[LIST_ROUNDS];
                double[] newestMs = new double[LIST_ROUNDS];
                double[] allMs = new double[LIST_ROUNDS];
                for (int i = 0; i < LIST_ROUNDS; i++) {
                    long start = System.nanoTime();
                    int size = engine.list(Optional.empty()).size();
                    listMs[i] = (System.nanoTime() - start) / 1e6;
                    start = System.nanoTime();
                    Reply newest = interpreter.handle("bench", "/tasks");
                    int newestLength = newest.text().length();
                    newestMs[i] = (System.nanoTime() - start) / 1e6;
                    start = System.nanoTime();
                    Reply all = interpreter.handle("bench", "/tasks all");
                    int allLength = all.text().length();
                    allMs[i] = (System.nanoTime() - start) / 1e6;
                    if (size != n || newestLength == 0 || allLength == 0
                            || !(newest instanceof Reply.Tasks shown && shown.rows().size() == Math.min(n, 50)
                                    && shown.older() == n - shown.rows().size())
                            || !(all instanceof Reply.Tasks every && every.rows().size() == n)) {
                        throw new IllegalStateException("listed " + size + " of " + n);
                    }
                }
                System.out.printf("use case: list of all %d tasks, newest first:        %s%n", n, figures(listMs));
                System.out.printf("/tasks (the newest 50) with its text:              %s%n", figures(newestMs));
                System.out.printf("/tasks all (%d rows) with its text:              %s%n", n, figures(allMs));
            }
        } finally {
            Bench.deleteTree(dir);
        }
    }

    /** Opens a store on {@code tasks}, and returns how long that took in ms. */
    private static double scan(Path tasks, int n) {
        long start = System.nanoTime();
        JsonFileTaskStore store = new JsonFileTaskStore(tasks);
        double ms = (System.nanoTime() - start) / 1e6;
        if (store.entries().size() != n) {
            throw new IllegalStateException("loaded " + store.entries().size() + " of " + n);
        }
        return ms;
    }

    /** "median 1.2 ms, min 1.0 ms, max 3.4 ms (7 rounds)". */
    private static String figures(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return String.format("median %6.2f ms, min %6.2f ms, max %6.2f ms (%d rounds)", sorted[sorted.length / 2],
                sorted[0], sorted[sorted.length - 1], sorted.length);
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
