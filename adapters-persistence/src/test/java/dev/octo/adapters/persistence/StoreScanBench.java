package dev.octo.adapters.persistence;

import static dev.octo.application.port.out.TaskStoreContract.T0;
import static dev.octo.application.port.out.TaskStoreContract.applied;

import com.fasterxml.jackson.databind.ObjectWriter;
import dev.octo.domain.ProcessRef;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Measures, by hand and not as a test, how long opening a store on 10,000 task files takes, how
 * long {@code list()} takes, and how fast 3 threads push 2,000 tasks through 4 durable saves each.
 * Run with the test classpath: {@code java -cp ... StoreScanBench [folder]}.
 */
public final class StoreScanBench {

    private StoreScanBench() {
    }

    public static void main(String[] args) throws Exception {
        Path root = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("octo-bench");
        Path scanDir = root.resolve("scan");
        Files.createDirectories(scanDir);
        int files = 10_000;
        ObjectWriter writer = Json.mapper().writerFor(TaskDocument.class);
        for (int i = 0; i < files; i++) {
            Task task = sample(TaskId.of(String.format("s%07d", i)), i);
            // written directly: 10,000 fsynced saves would measure the disk, not the scan
            Files.write(scanDir.resolve(task.id().value() + ".json"), writer.writeValueAsBytes(TaskDocumentMapper.toDocument(task)));
        }
        for (int round = 1; round <= 3; round++) {
            long start = System.nanoTime();
            JsonFileTaskStore store = new JsonFileTaskStore(scanDir);
            long opened = System.nanoTime();
            List<Task> all = store.list();
            long listed = System.nanoTime();
            System.out.printf("round %d: open (scan of %d files) %.0f ms, list() of %d tasks %.2f ms%n",
                    round, files, (opened - start) / 1e6, all.size(), (listed - opened) / 1e6);
        }

        Path saveDir = root.resolve("save");
        JsonFileTaskStore store = new JsonFileTaskStore(saveDir);
        int tasks = 2_000;
        int workers = 3;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            futures.add(pool.submit(() -> {
                for (int i = worker; i < tasks; i += workers) {
                    Task dispatched = Task.dispatch(TaskId.of(String.format("w%07d", i)),
                            ProcessSpec.of("echo " + i, Path.of("/srv")), T0);
                    Task running = applied(dispatched.start(T0.plusSeconds(1)));
                    Task withProcess = running.withProcess(new ProcessRef(1000 + i, T0.plusSeconds(1)), T0.plusSeconds(1));
                    store.save(dispatched);
                    store.save(running);
                    store.save(withProcess);
                    store.save(applied(withProcess.complete("done " + i, T0.plusSeconds(2))));
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        long elapsed = System.nanoTime() - start;
        pool.shutdown();
        System.out.printf("%d saves of %d tasks by %d threads: %.0f ms, %.0f saves/s%n",
                tasks * 4, tasks, workers, elapsed / 1e6, tasks * 4 / (elapsed / 1e9));
        if (args.length == 0) {
            deleteTree(root);
        }
    }

    private static Task sample(TaskId id, int i) {
        Task running = applied(Task.dispatch(id, new ProcessSpec("make test -j4 && echo " + i, Path.of("/srv/app"),
                Map.of("LANG", "C.UTF-8"), dev.octo.domain.Timeout.NONE), T0).start(T0.plusSeconds(1)));
        return i % 2 == 0 ? applied(running.complete("output line " + i + "\n".repeat(3), T0.plusSeconds(5))) : running;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
