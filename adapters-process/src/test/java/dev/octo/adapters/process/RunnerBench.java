package dev.octo.adapters.process;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import dev.octo.application.port.out.RunningProcess;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.TaskId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A benchmark to run by hand, not a test: how long {@link LocalProcessRunner} takes to run the
 * command {@code true}, next to a bare {@link ProcessBuilder} and to {@code xargs}.
 *
 * <p>Reports wall time per task and tasks per second, and CPU per task: this JVM's own CPU plus
 * that of every process it started and reaped (and their reaped descendants), from
 * {@code /proc/self/stat}. Arguments, all optional: sequential runs (300), parallel runs (2000),
 * parallelism (3), rounds (1).
 */
public final class RunnerBench {

    private static final int WARM_UP = 100;

    private final Path work;
    private final LocalProcessRunner runner;

    private RunnerBench(Path work, LocalProcessRunner runner) {
        this.work = work;
        this.runner = runner;
    }

    public static void main(String[] args) throws Exception {
        int sequential = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int total = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int parallel = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Path directory = Files.createTempDirectory("runner-bench");
        try {
            Path work = Files.createDirectories(directory.resolve("work"));
            RunnerBench bench = new RunnerBench(work,
                    new LocalProcessRunner(directory.resolve("tasks")));
            bench.warmUp();
            for (int round = 1; round <= rounds; round++) {
                System.out.printf("round %d of %d (%s)%n", round, rounds, Runtime.version());
                bench.measure("runner, sequential", sequential, 1, bench::runTask);
                bench.measureStart(sequential);
                bench.measure("runner, " + parallel + " at once", total, parallel, bench::runTask);
                bench.measure("ProcessBuilder(true), sequential", sequential, 1, RunnerBench::runTrue);
                bench.measure("ProcessBuilder(true), " + parallel + " at once", total, parallel, RunnerBench::runTrue);
                bench.measureXargs(total, parallel);
            }
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private void warmUp() throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            runTask();
            runTrue();
        }
    }

    private void runTask() throws Exception {
        start().exit().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private RunningProcess start() {
        return runner.start(TaskId.random(ThreadLocalRandom.current(), id -> false), ProcessSpec.of("true", work));
    }

    private static void runTrue() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        process.getOutputStream().close();
    }

    private void measure(String name, int count, int threads, Run run) throws Exception {
        AtomicInteger left = new AtomicInteger(count);
        Cpu cpu = Cpu.now();
        long began = System.nanoTime();
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = Thread.ofPlatform().start(() -> {
                try {
                    while (left.getAndDecrement() > 0) {
                        run.once();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        for (Thread worker : workers) {
            worker.join();
        }
        report(name, count, System.nanoTime() - began, Cpu.now().minus(cpu));
    }

    private void measureStart(int count) throws Exception {
        long inStart = 0;
        for (int i = 0; i < count; i++) {
            long began = System.nanoTime();
            RunningProcess process = start();
            inStart += System.nanoTime() - began;
            process.exit().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        System.out.printf("  %-36s %7.2f ms/task%n", "runner, start() alone", inStart / 1e6 / count);
    }

    private void measureXargs(int count, int threads) throws Exception {
        Cpu cpu = Cpu.now();
        long began = System.nanoTime();
        int code = new ProcessBuilder("/bin/sh", "-c", "seq " + count + " | xargs -P" + threads + " -I{} sh -c true")
                .inheritIO()
                .start()
                .waitFor();
        long took = System.nanoTime() - began;
        if (code != 0) {
            throw new IllegalStateException("xargs ended with " + code);
        }
        report("seq | xargs -P" + threads + " sh -c true", count, took, Cpu.now().minus(cpu));
    }

    private static void report(String name, int count, long nanos, Cpu cpu) {
        System.out.printf("  %-36s %7.2f ms/task %7.0f tasks/s   cpu %5.2f ms/task (jvm %5.2f, children %5.2f)%n",
                name, nanos / 1e6 / count, count / (nanos / 1e9),
                (cpu.self() + cpu.children()) / count, cpu.self() / count, cpu.children() / count);
    }

    @FunctionalInterface
    private interface Run {
        void once() throws Exception;
    }

    /** CPU milliseconds of this JVM and of its reaped children, assuming 100 clock ticks a second. */
    private record Cpu(double self, double children) {

        static Cpu now() throws IOException {
            String stat = Files.readString(Path.of("/proc/self/stat"), ISO_8859_1);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm)": utime, stime, cutime and cstime are fields 12 to 15 of what is left
            return new Cpu(ticks(fields[11]) + ticks(fields[12]), ticks(fields[13]) + ticks(fields[14]));
        }

        private static double ticks(String field) {
            return Long.parseLong(field) * 10.0;
        }

        Cpu minus(Cpu earlier) {
            return new Cpu(self - earlier.self, children - earlier.children);
        }
    }
}
