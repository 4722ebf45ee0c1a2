package dev.octo.adapters.process;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import dev.octo.domain.ProcessRef;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the operating system says about processes: which are alive, which is a task's wrapper, which
 * process group still has members. Reads {@code /proc} where the JDK's {@link ProcessHandle} cannot
 * tell (zombies, process groups); where there is no {@code /proc} those answers fall back to what
 * {@link ProcessHandle} knows.
 */
final class ProcessTable {

    /**
     * How far two readings of one process's start instant may differ. The JDK computes it from the
     * boot time in {@code /proc/stat} (whole seconds, re-derived from the wall clock) plus the
     * process's start in clock ticks, so another JVM can read a slightly different instant. A pid
     * that was reused belongs to a process that started after ours ended, which in practice is far
     * more than a second later: the pid space has to wrap around first.
     */
    static final Duration START_TOLERANCE = Duration.ofSeconds(1);

    private static final Path PROC = Path.of("/proc");
    /** {@code USER_HZ}, the unit of the times in {@code /proc}: 100 on every Linux architecture. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProcessTable() {
    }

    /** Whether {@code process} runs: alive and not a zombie waiting for its parent to reap it. */
    static boolean isRunning(ProcessHandle process) {
        return process.isAlive() && stat(process.pid()).map(stat -> stat.state() != 'Z').orElse(true);
    }

    /**
     * Whether the process {@code ref} names still runs as the shell of {@code marker}'s task: the pid
     * is alive and started at the recorded instant, and its command line (when it can be read)
     * carries the marker, or it leads a process group of its own. The second is for a command that
     * replaced its shell ({@code exec program}), which keeps the shell's pid and group but not its
     * command line; a pid reused by another process would have to have started within
     * {@link #START_TOLERANCE} of the task's shell.
     */
    static Optional<ProcessHandle> findRunning(ProcessRef ref, String marker) {
        return ProcessHandle.of(ref.pid())
                .filter(ProcessTable::isRunning)
                .filter(process -> process.info().startInstant()
                        .map(start -> sameStart(start, ref.processStart()))
                        .orElse(false))
                .filter(process -> process.info().arguments()
                        .map(arguments -> Arrays.asList(arguments).contains(marker) || leadsItsGroup(process.pid()))
                        .orElse(true));
    }

    /**
     * A running process that carries {@code marker} as one of its arguments, if there is one. The
     * task's shell forks copies of itself, which carry the marker too (a subshell, a pipeline, a
     * command in the background, for a moment before each program it runs), so the one that leads
     * its process group is the answer; where tasks have no group of their own, the one that started
     * first.
     */
    static Optional<ProcessHandle> findRunningByMarker(String marker) {
        List<ProcessHandle> marked = ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments()
                        .map(arguments -> Arrays.asList(arguments).contains(marker))
                        .orElse(false))
                .filter(ProcessTable::isRunning)
                .toList();
        return marked.stream().filter(process -> leadsItsGroup(process.pid())).findFirst()
                .or(() -> marked.stream().min(Comparator.comparing(
                        (ProcessHandle process) -> process.info().startInstant().orElse(Instant.MAX))
                        .thenComparingLong(ProcessHandle::pid)));
    }

    /** Whether {@code pid} leads the process group named by its pid; no when {@code /proc} cannot tell. */
    static boolean leadsItsGroup(long pid) {
        return stat(pid).map(stat -> stat.processGroup() == pid).orElse(false);
    }

    static boolean sameStart(Instant one, Instant other) {
        return Duration.between(one, other).abs().compareTo(START_TOLERANCE) <= 0;
    }

    /**
     * Whether {@code leader} runs but is not yet the leader of the process group named by its pid:
     * it has not called {@code setsid} yet. No when {@code /proc} cannot tell.
     */
    static boolean awaitsOwnGroup(ProcessHandle leader) {
        // the handle knows its process's start, so a pid reused meanwhile is not alive to it
        return leader.isAlive() && stat(leader.pid())
                .map(stat -> stat.state() != 'Z' && stat.processGroup() != leader.pid())
                .orElse(false);
    }

    /**
     * Whether any live process belongs to process group {@code pgid}. Without {@code /proc} this
     * cannot be known, and the answer is yes.
     */
    static boolean groupHasMembers(long pgid) {
        if (!Files.isDirectory(PROC)) {
            return true;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                Optional<Stat> stat = stat(Long.parseLong(entry.getFileName().toString()));
                if (stat.isPresent() && stat.get().processGroup() == pgid && stat.get().state() != 'Z') {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException unreadable) {
            return true;
        }
    }

    /**
     * When process {@code pid} started, computed as the JDK computes
     * {@link ProcessHandle.Info#startInstant()} on Linux (the boot time in {@code /proc/stat}, plus the
     * process's start in clock ticks), from its {@code /proc/<pid>/stat} alone: {@code info()} also
     * reads its command line, its executable and its user's name, about a fifth of the CPU time of a
     * task's start. Empty when {@code /proc} cannot tell.
     */
    static Optional<Instant> startOf(long pid) {
        return BootTime.MILLIS.flatMap(boot -> stat(pid)
                .map(stat -> Instant.ofEpochMilli(boot + stat.startTicks() * 1000 / CLOCK_TICKS_PER_SECOND)));
    }

    /** When the system booted, in milliseconds since the epoch, read once. */
    private static final class BootTime {
        static final Optional<Long> MILLIS = read();

        private static Optional<Long> read() {
            try {
                for (String line : Files.readAllLines(PROC.resolve("stat"), ISO_8859_1)) {
                    if (line.startsWith("btime ")) {
                        return Optional.of(Long.parseLong(line.substring("btime ".length()).strip()) * 1000);
                    }
                }
                return Optional.empty();
            } catch (IOException | RuntimeException unreadable) {
                return Optional.empty();
            }
        }
    }

    private static Optional<Stat> stat(long pid) {
        try {
            String line = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), ISO_8859_1);
            // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so cut at the last ')'
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            // state is the line's field 3, so field N is fields[N - 3]: pgrp 5, starttime 22
            return Optional.of(new Stat(fields[0].charAt(0), Long.parseLong(fields[2]), Long.parseLong(fields[19])));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    private record Stat(char state, long processGroup, long startTicks) {
    }
}
