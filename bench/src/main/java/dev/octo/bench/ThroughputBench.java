package dev.octo.bench;

import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * N process tasks running {@code true} through the real pool, store and runner at
 * BG_MAX_CONCURRENT=3, from the first dispatch until all are final, beside
 * {@code seq N | xargs -P3 -I{} sh -c true} measured in the same run. Every task write is durable.
 * Also the CPU time (user and system) per task: of this JVM and the processes it reaped for Octo,
 * and of xargs and its processes, read from {@code /proc} ({@code utime}, {@code stime},
 * {@code cutime} and {@code cstime}; children count once they are reaped).
 */
public final class ThroughputBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf("throughput: %d tasks running 'true', 3 at once, %d rounds%n", n, rounds);
        double[] ratios = new double[rounds];
        // every round's files are deleted at the end, not between rounds: on ext4 without a journal, a
        // folder where 12,000 files were just deleted makes each file created in it slow for minutes
        // (the allocator passes over the freed inodes one by one), which no user's .octo goes through
        Path runs = Files.createTempDirectory("octo-throughput");
        try {
            for (int round = 1; round <= rounds; round++) {
                ratios[round - 1] = round(n, round, runs.resolve("round-" + round));
            }
        } finally {
            Bench.deleteTree(runs);
        }
        Arrays.sort(ratios);
        System.out.printf("median: octo takes %.2fx xargs' time%n", ratios[rounds / 2]);
    }

    /** One round, Octo's tasks in {@code dir}; returns Octo's time against xargs'. */
    private static double round(int n, int round, Path dir) throws Exception {
        Run xargs = xargs(n);
        Run octo = octo(n, dir);
        double ratio = octo.seconds() / xargs.seconds();
        System.out.printf("round %d: octo %.0f tasks/s (%.2f s, CPU %.1f ms/task: user %.1f, system %.1f), "
                        + "xargs %.0f tasks/s (%.2f s, CPU %.1f ms/task: user %.1f, system %.1f), octo takes %.2fx xargs' time%n",
                round, n / octo.seconds(), octo.seconds(), octo.cpuMsPerTask(n), octo.userMs() / n, octo.systemMs() / n,
                n / xargs.seconds(), xargs.seconds(), xargs.cpuMsPerTask(n), xargs.userMs() / n, xargs.systemMs() / n,
                ratio);
        return ratio;
    }

    /** Wall time, and CPU time in milliseconds. */
    private record Run(double seconds, double userMs, double systemMs) {
        double cpuMsPerTask(int n) {
            return (userMs + systemMs) / n;
        }
    }

    private static Run xargs(int n) throws Exception {
        long start = System.nanoTime();
        // the shell reaps xargs, which reaped its shells: its cutime and cstime hold all of them
        Process process = new ProcessBuilder("sh", "-c", "seq " + n + " | xargs -P3 -I{} sh -c true; cat /proc/$$/stat")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String stat = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("xargs failed");
        }
        double seconds = Bench.seconds(System.nanoTime() - start);
        long[] times = cpuTicks(stat);
        return new Run(seconds, ticksToMs(times[2]), ticksToMs(times[3]));
    }

    /** utime, stime, cutime and cstime, in clock ticks, from a {@code /proc/<pid>/stat} line. */
    private static long[] cpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
        // after the name: state is field 3 of the line, utime 14, stime 15, cutime 16, cstime 17
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                Long.parseLong(fields[14])};
    }

    private static double ticksToMs(long ticks) {
        return ticks * 10.0; // USER_HZ is 100 on Linux
    }

    private static long[] ownCpuTicks() throws Exception {
        return cpuTicks(Files.readString(Path.of("/proc/self/stat"), StandardCharsets.ISO_8859_1));
    }

    private static Run octo(int n, Path dir) throws Exception {
        Path octoDir = dir.resolve(".octo");
        try (TaskEngine engine = Bench.engine(octoDir, 3)) {
            engine.start();
            long[] before = ownCpuTicks();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                engine.dispatch(DispatchTask.Process.of("true"));
            }
            // each dispatch returns once its task is durable: one after another, they pace the run
            double dispatching = Bench.seconds(System.nanoTime() - start);
            if (!engine.awaitAllSettled(Duration.ofMinutes(10))) {
                throw new IllegalStateException("tasks still running after 10 minutes");
            }
            double seconds = Bench.seconds(System.nanoTime() - start);
            long[] after = ownCpuTicks();
            long completed = engine.list(Optional.of(TaskStatus.COMPLETED)).size();
            if (completed != n) {
                throw new IllegalStateException(completed + " of " + n + " tasks completed");
            }
            System.out.printf("  octo: the %d dispatches took %.2f s of the %.2f s%n", n, dispatching, seconds);
            return new Run(seconds, ticksToMs(after[0] - before[0] + after[2] - before[2]),
                    ticksToMs(after[1] - before[1] + after[3] - before[3]));
        }
    }
}
