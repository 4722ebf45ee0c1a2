package dev.octo.application.fakes;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.OutputChunk;
import dev.octo.application.port.out.ProcessExit;
import dev.octo.application.port.out.ProcessRunner;
import dev.octo.application.port.out.ProcessStartException;
import dev.octo.application.port.out.RunningProcess;
import dev.octo.domain.ProcessRef;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.TaskId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ProcessRunner} that runs nothing: every {@link #start} gives a {@link FakeProcess} that
 * the test ends by hand. It counts how many processes run at once and the most ever seen, can be
 * told to refuse a command, answers {@link #adopt} from a script, and gives scripted output: a tail
 * ({@link #output}) and, for following, streams the test writes to ({@link #write}), whose
 * positions count characters as bytes. A process's recorded exit code is the one it finished with,
 * unless a terminate ended it: a killed wrapper records none.
 *
 * <p>Where the test scripted nothing, it answers as the real runner would (the shared
 * {@code ProcessRunnerContract} holds it to that): what a process finished with is what it wrote,
 * read through {@link #outputTail} and {@link #outputSince}; {@link #adopt} finds a process it
 * started still running, ended, or gone when it was terminated, and a task it never saw never
 * started; {@link #deleteFiles} forgets the output and the recorded status.
 */
public final class FakeProcessRunner implements ProcessRunner {

    private static final Instant PROCESS_START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicLong nextPid = new AtomicLong(1000);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final List<Started> starts = new CopyOnWriteArrayList<>();
    private final Map<TaskId, FakeProcess> processes = new ConcurrentHashMap<>();
    private final Map<String, String> refusedCommands = new ConcurrentHashMap<>();
    private final Map<TaskId, Adoption> adoptions = new ConcurrentHashMap<>();
    private final List<TaskId> adoptCalls = new CopyOnWriteArrayList<>();
    private final Map<TaskId, String> outputs = new ConcurrentHashMap<>();
    private final List<TaskId> deletedFiles = new CopyOnWriteArrayList<>();
    private final Map<TaskId, StringBuffer[]> streams = new ConcurrentHashMap<>();
    private final Set<TaskId> filesDeleted = ConcurrentHashMap.newKeySet();
    private volatile Path logFolder = Path.of("tasks");
    private volatile ProcessExit autoExit;

    /** A call of {@link #start}: the task, the spec as it was given, and the process it got. */
    public record Started(TaskId taskId, ProcessSpec spec, FakeProcess process) {
    }

    // ---- script ---------------------------------------------------------------------------------

    /** Makes {@link #start} throw a {@link ProcessStartException} with {@code reason} for {@code command}. */
    public FakeProcessRunner refuseToStart(String command, String reason) {
        refusedCommands.put(requireNonNull(command, "command is null"), requireNonNull(reason, "reason is null"));
        return this;
    }

    /** Makes every process started from now on end at once with {@code exit}. */
    public FakeProcessRunner exitAtOnceWith(ProcessExit exit) {
        this.autoExit = requireNonNull(exit, "exit is null");
        return this;
    }

    /** {@link #adopt} of task {@code id} finds its process still running; returns that process. */
    public FakeProcess adoptStillRunning(TaskId id) {
        FakeProcess process = newProcess(id);
        adoptions.put(id, new Adoption.StillRunning(process));
        return process;
    }

    /** {@link #adopt} of task {@code id} finds that its process ended with {@code exit}. */
    public FakeProcessRunner adoptEnded(TaskId id, ProcessExit exit) {
        adoptions.put(id, new Adoption.Ended(requireNonNull(exit, "exit is null")));
        return this;
    }

    /** As {@link #adoptEnded(TaskId, ProcessExit)}, its files telling that its command started at {@code started}. */
    public FakeProcessRunner adoptEnded(TaskId id, ProcessExit exit, Instant started) {
        adoptions.put(id, new Adoption.Ended(requireNonNull(exit, "exit is null"), Optional.of(started)));
        return this;
    }

    /**
     * {@link #adopt} of task {@code id} finds no process and no exit status (unscripted, a process
     * that a terminate ended is found so).
     */
    public FakeProcessRunner adoptGone(TaskId id) {
        adoptions.put(id, new Adoption.Gone());
        return this;
    }

    /** {@link #adopt} of task {@code id} finds no process and, instead of a status, {@code problem}. */
    public FakeProcessRunner adoptGoneWithUnreadableStatus(TaskId id, String problem) {
        adoptions.put(id, new Adoption.Gone(Optional.of(requireNonNull(problem, "problem is null"))));
        return this;
    }

    /** {@link #adopt} of task {@code id} finds that its command never ran (unscripted, a task never started is). */
    public FakeProcessRunner adoptNeverStarted(TaskId id) {
        adoptions.put(id, new Adoption.NeverStarted());
        return this;
    }

    /** {@link #outputTail} of task {@code id} gives {@code text}, whatever its process wrote. */
    public FakeProcessRunner output(TaskId id, String text) {
        outputs.put(id, requireNonNull(text, "text is null"));
        return this;
    }

    /** Adds {@code stdout} and {@code stderr} to what task {@code id} wrote, for {@link #outputSince}. */
    public FakeProcessRunner write(TaskId id, String stdout, String stderr) {
        StringBuffer[] written = streams.computeIfAbsent(id, unused -> new StringBuffer[] {new StringBuffer(),
                new StringBuffer()});
        written[0].append(requireNonNull(stdout, "stdout is null"));
        written[1].append(requireNonNull(stderr, "stderr is null"));
        return this;
    }

    /** {@link #logFiles} names files in {@code folder} (by default "tasks"); nothing is written there. */
    public FakeProcessRunner logFolder(Path folder) {
        this.logFolder = requireNonNull(folder, "folder is null");
        return this;
    }

    // ---- port -----------------------------------------------------------------------------------

    @Override
    public RunningProcess start(TaskId id, ProcessSpec spec) {
        requireNonNull(id, "id is null");
        requireNonNull(spec, "spec is null");
        String refusal = refusedCommands.get(spec.command());
        if (refusal != null) {
            throw new ProcessStartException(refusal);
        }
        FakeProcess process = newProcess(id);
        filesDeleted.remove(id);
        starts.add(new Started(id, spec, process));
        processes.put(id, process);
        synchronized (this) {
            notifyAll();
        }
        ProcessExit exit = autoExit;
        if (exit != null) {
            process.finish(exit);
        }
        return process;
    }

    @Override
    public Adoption adopt(TaskId id, Optional<ProcessRef> known) {
        requireNonNull(id, "id is null");
        requireNonNull(known, "known is null");
        adoptCalls.add(id);
        Adoption scripted = adoptions.get(id);
        Adoption adoption = scripted != null ? scripted : unscriptedAdoption(id);
        if (adoption instanceof Adoption.StillRunning still) {
            processes.put(id, (FakeProcess) still.process());
            synchronized (this) {
                notifyAll();
            }
        }
        return adoption;
    }

    /** What the real runner would find: the process still running, its end, or gone when killed; or never started. */
    private Adoption unscriptedAdoption(TaskId id) {
        FakeProcess process = processes.get(id);
        if (process == null || filesDeleted.contains(id)) {
            return new Adoption.NeverStarted();
        }
        if (process.isRunning()) {
            return new Adoption.StillRunning(process);
        }
        if (process.wasKilled()) {
            return new Adoption.Gone();
        }
        return new Adoption.Ended(process.result().orElseThrow());
    }

    @Override
    public String outputTail(TaskId id, int maxLines) {
        String scripted = outputs.get(id);
        if (scripted != null) {
            return scripted;
        }
        StringBuffer[] written = streams.get(id);
        if (written == null) {
            return "";
        }
        return section("stdout:", written[0].toString(), maxLines)
                + section("stderr:", written[1].toString(), maxLines);
    }

    private static String section(String heading, String text, int maxLines) {
        if (text.isEmpty() || maxLines == 0) {
            return "";
        }
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        List<String> lines = List.of(body.split("\n", -1));
        return heading + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - maxLines), lines.size()))
                + "\n";
    }

    /** Forgets the output and the recorded status of task {@code id}, as the real runner removes its files. */
    @Override
    public void deleteFiles(TaskId id) {
        requireNonNull(id, "id is null");
        outputs.remove(id);
        streams.remove(id);
        filesDeleted.add(id);
        deletedFiles.add(id);
    }

    @Override
    public List<Path> logFiles(TaskId id) {
        return List.of(logFolder.resolve(id.value() + ".out.log"), logFolder.resolve(id.value() + ".err.log"));
    }

    @Override
    public Optional<Integer> recordedExitCode(TaskId id) {
        if (filesDeleted.contains(id)) {
            return Optional.empty();
        }
        return process(id).filter(process -> !process.wasKilled())
                .flatMap(FakeProcess::result)
                .map(ProcessExit::exitCode);
    }

    @Override
    public OutputChunk outputSince(TaskId id, OutputChunk.Position from, int maxBytes) {
        StringBuffer[] written = streams.get(id);
        if (written == null) {
            // as a log that is not there: read from its start
            return OutputChunk.nothingAt(OutputChunk.Position.START);
        }
        String stdout = written[0].toString();
        String stderr = written[1].toString();
        return new OutputChunk(part(stdout, from.stdout(), maxBytes), part(stderr, from.stderr(), maxBytes),
                new OutputChunk.Position(stdout.length(), stderr.length()));
    }

    private static OutputChunk.Part part(String text, long from, int maxBytes) {
        // a log shorter than the position was written anew: it is read from its start
        int start = from > text.length() ? 0 : (int) from;
        int skipped = Math.max(0, text.length() - start - maxBytes);
        return new OutputChunk.Part(text.substring(start + skipped), skipped);
    }

    // ---- what happened --------------------------------------------------------------------------

    /** Every {@link #start} that succeeded, in the order they were made. */
    public List<Started> starts() {
        return List.copyOf(starts);
    }

    /** The ids of started tasks, in the order they were started. */
    public List<TaskId> startedIds() {
        return starts.stream().map(Started::taskId).toList();
    }

    /** The process of task {@code id} (started or adopted), if there is one. */
    public Optional<FakeProcess> process(TaskId id) {
        return Optional.ofNullable(processes.get(id));
    }

    /** Whether task {@code id} has a process that has not ended. */
    public boolean isRunning(TaskId id) {
        return process(id).map(FakeProcess::isRunning).orElse(false);
    }

    /** Waits until task {@code id}'s process was started or adopted. */
    public FakeProcess awaitProcess(TaskId id, Duration limit) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (this) {
            while (!processes.containsKey(id)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("task " + id + " got no process within " + limit
                            + "; started: " + startedIds());
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
        return processes.get(id);
    }

    /** How many processes run now. */
    public int runningCount() {
        return running.get();
    }

    /** The most processes that ever ran at once. */
    public int maxRunningAtOnce() {
        return maxRunning.get();
    }

    /** The processes that run now, in no particular order. */
    public List<FakeProcess> runningProcesses() {
        return processes.values().stream().filter(FakeProcess::isRunning).toList();
    }

    /** The tasks {@link #adopt} was asked about, in order. */
    public List<TaskId> adoptCalls() {
        return List.copyOf(adoptCalls);
    }

    /** The tasks whose files {@link #deleteFiles} was asked to remove, in order. */
    public List<TaskId> deletedFiles() {
        return List.copyOf(deletedFiles);
    }

    /** Whether any process, started or adopted, was ever told to terminate. */
    public boolean anyTerminated() {
        return processes.values().stream().anyMatch(FakeProcess::wasTerminated);
    }

    private FakeProcess newProcess(TaskId id) {
        long pid = nextPid.getAndIncrement();
        int now = running.incrementAndGet();
        maxRunning.accumulateAndGet(now, Math::max);
        return new FakeProcess(id, new ProcessRef(pid, PROCESS_START.plusSeconds(pid)), this::ended);
    }

    /**
     * A process ended: one fewer runs, and unless it was killed or the test wrote its output by
     * hand, what it finished with is what its logs hold.
     */
    private void ended(FakeProcess process, ProcessExit exit) {
        running.decrementAndGet();
        if (!process.wasKilled()) {
            streams.putIfAbsent(process.taskId(), new StringBuffer[] {new StringBuffer(exit.stdoutTail()),
                    new StringBuffer(exit.stderrTail())});
        }
    }
}
