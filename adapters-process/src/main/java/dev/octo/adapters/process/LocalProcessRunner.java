package dev.octo.adapters.process;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.OutputChunk;
import dev.octo.application.port.out.ProcessRunner;
import dev.octo.application.port.out.ProcessStartException;
import dev.octo.application.port.out.RunningProcess;
import dev.octo.application.port.out.StoreException;
import dev.octo.domain.ProcessRef;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.TaskId;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Runs process tasks as local processes that do not need Octo to go on.
 *
 * <p>Each command runs under a small {@code /bin/sh} wrapper started through {@code setsid}, so
 * the wrapper leads a session and process group of its own: its pid is the group id, and signalling
 * the group reaches everything the command started. The wrapper runs the command as
 * {@code /bin/sh -c <command>} with stdin from {@code /dev/null} and stdout and stderr opened
 * straight on {@code <id>.out.log} and {@code <id>.err.log} in the tasks directory (no output passes
 * through this JVM), waits for it, and writes its exit status to {@code <id>.exit} before it exits.
 * The wrapper's {@code $0} is {@code octo-task-<id>}, so a later Octo can find it by command line
 * when no {@link ProcessRef} was recorded.
 *
 * <p>{@link #start} returns as soon as the wrapper runs, which may be a moment before it has called
 * {@code setsid}; stopping the task waits for that moment, so that the TERM reaches the group.
 *
 * <p>Until then, the wrapper is still in Octo's process group and session: Java 21 cannot start a
 * process straight into a session of its own (that takes {@code posix_spawn} with
 * {@code POSIX_SPAWN_SETSID}, which the JDK does not use). The window runs from the JDK's spawn to
 * the {@code setsid()} call of the {@code setsid} program, typically a millisecond or two, and a
 * signal sent to Octo's group within it (a group kill, a closed terminal's HUP, a Ctrl-C while a
 * command is answered) stops the wrapper too. The command has not run then, and the output logs,
 * which the wrapper's shell creates only after {@code setsid}, right before the command, do not
 * exist: when Octo died with it, the next start finds no process, no log and no status, and
 * {@link #adopt} answers {@link Adoption.NeverStarted}, so the task is queued again and runs once.
 * When Octo survives the signal (a Ctrl-C it handles itself), it sees its child end by the signal
 * and the task fails with that exit code (130 for a Ctrl-C) although its command never ran.
 *
 * <p>Where there is no {@code setsid}, the wrapper runs in Octo's own process group, and stopping a
 * task stops the wrapper and its descendants one by one: a grandchild that forked away from its
 * parent is then missed, and a Ctrl-C in Octo's terminal reaches the command too.
 *
 * <p>A wrapper stopped by a signal records no status: its exit then reports the code the JDK saw
 * (128 + the signal) or, for an adopted wrapper, 143 when it was terminated through this runner and
 * 137 otherwise, with a note at the end of the stderr tail.
 */
public final class LocalProcessRunner implements ProcessRunner {

    static final File DEV_NULL = new File("/dev/null");
    static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(LocalProcessRunner.class.getName());
    private static final List<Path> SETSID_CANDIDATES = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));
    private static final int OUTPUT_TAIL_MAX_BYTES = 1024 * 1024;

    /**
     * Run by {@code /bin/sh -c} with {@code $0} the task's marker, {@code $1} the command, {@code $2}
     * and {@code $3} the stdout and stderr logs, {@code $4} the exit file, {@code $5} the
     * {@code setsid} program or nothing. The command arrives as an argument, never as part of this
     * text, so it needs no quoting.
     *
     * <p>The command runs in a shell of its own, not in a subshell of the wrapper: there {@code $$},
     * {@code $PPID}, {@code $0} and the shell's error messages would differ from a plain
     * {@code sh -c}, and a command that signals {@code $$} would stop the wrapper instead.
     *
     * <p>The status is written in place, not aside and renamed: that would cost one more program
     * per task, and nobody relies on the file before the wrapper has exited (a reader in this JVM
     * waits for the exit, and has the wrapper's own status when the file is empty; an adopting one
     * finds no process of the task running first). A wrapper killed while writing leaves the file
     * empty, which reads as no status recorded.
     *
     * <p>When the status cannot be written (a full disk, something that is no file at its place),
     * the wrapper still exits with it, so that the Octo that started it, its parent, learns it from
     * its exit. For a later Octo, which is not its parent, it leaves a writer behind: a shell in a
     * session of its own whose {@code $0} is the marker too, so that it is adopted like a wrapper,
     * and which tries the write again every second for about a day (86,400 tries) before it gives
     * up; it gives up at once when the tasks folder is gone, since nobody will read it there. The
     * writer and its {@code sleep} are started only when the write failed: a task that records its
     * status normally runs no program besides the wrapper's shells.
     *
     * <p>The wrapper does not catch TERM: a wrapper that caught it would swallow a TERM sent to the
     * group before it has forked the command, and the command would then run on until the KILL.
     * Stopping a task therefore kills the wrapper too, and leaves no exit file.
     */
    static final String WRAPPER = """
            /bin/sh -c -- "$1" </dev/null >"$2" 2>"$3"
            status=$?
            if ! printf '%s\\n' "$status" >"$4"; then
                ${5:+"$5"} /bin/sh -c '
                    tries=1
                    until printf "%s\\n" "$1" >"$2"; do
                        [ "$tries" -lt 86400 ] && [ -d "${2%/*}" ] || exit 1
                        tries=$((tries + 1))
                        sleep 1 || exit 1
                    done' "$0" "$status" "$4" &
            fi
            exit "$status"
            """;

    private final Path tasksDirectory;
    private final Duration killGrace;
    private final Optional<Path> setsid;
    private final ScheduledExecutorService timer;
    private final Executor async;

    /** Keeps task files in {@code tasksDirectory}; stopping a task waits 5 s between TERM and KILL. */
    public LocalProcessRunner(Path tasksDirectory) {
        this(tasksDirectory, DEFAULT_KILL_GRACE);
    }

    /** As the other constructor, with {@code killGrace} between TERM and KILL when stopping a task. */
    public LocalProcessRunner(Path tasksDirectory, Duration killGrace) {
        this(tasksDirectory, killGrace, findSetsid());
    }

    /** {@code setsid} empty runs tasks without a process group of their own. */
    LocalProcessRunner(Path tasksDirectory, Duration killGrace, Optional<Path> setsid) {
        this.tasksDirectory = requireNonNull(tasksDirectory, "tasksDirectory is null").toAbsolutePath().normalize();
        this.killGrace = requireNonNull(killGrace, "killGrace is null");
        this.setsid = requireNonNull(setsid, "setsid is null");
        if (killGrace.isNegative()) {
            throw new IllegalArgumentException("a kill grace is not negative, not " + killGrace);
        }
        if (setsid.isEmpty()) {
            LOG.log(Level.WARNING, "no setsid found: a process task's forked-away grandchildren "
                    + "survive its cancellation, and it shares Octo's process group");
        }
        ThreadFactory daemon = Thread.ofPlatform().name("octo-process-timer").daemon().factory();
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon);
        this.async = task -> Thread.ofVirtual().name("octo-process").start(task);
    }

    private static Optional<Path> findSetsid() {
        return SETSID_CANDIDATES.stream().filter(Files::isExecutable).findFirst();
    }

    @Override
    public RunningProcess start(TaskId id, ProcessSpec spec) {
        requireNonNull(id, "id is null");
        requireNonNull(spec, "spec is null");
        Path workingDirectory = spec.workingDirectory();
        if (!Files.isDirectory(workingDirectory)) {
            throw new ProcessStartException("The working directory " + workingDirectory
                    + (Files.exists(workingDirectory) ? " is not a directory" : " does not exist"));
        }
        TaskFiles files = TaskFiles.of(tasksDirectory, id);
        try {
            // createDirectories alone would throw and catch an exception on every start
            if (!Files.isDirectory(tasksDirectory)) {
                Files.createDirectories(tasksDirectory);
            }
            // a status left by an earlier run must not pass for this run's
            Files.deleteIfExists(files.exit());
            Files.deleteIfExists(files.exitTemp());
        } catch (IOException e) {
            throw new ProcessStartException("Cannot prepare the task folder " + tasksDirectory + ": " + e, e);
        }
        List<String> command = new ArrayList<>();
        setsid.ifPresent(program -> command.add(program.toString()));
        command.addAll(List.of("/bin/sh", "-c", WRAPPER, files.marker(), spec.command(),
                files.out().toString(), files.err().toString(), files.exit().toString(),
                setsid.map(Path::toString).orElse("")));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        if (!spec.environment().isEmpty()) {
            // environment() copies Octo's whole environment; left alone, the child inherits it as it is
            builder.environment().putAll(spec.environment());
        }
        Instant launched = Instant.now();
        Process wrapper;
        try {
            wrapper = builder.start();
        } catch (IOException e) {
            throw new ProcessStartException("Cannot start the command of task " + id + ": " + e.getMessage(), e);
        }
        // a wrapper that already ended and was reaped has no start left to read; the launch is close
        Instant started = wrapper.info().startInstant().orElse(launched);
        ProcessRef ref = new ProcessRef(wrapper.pid(), started);
        LOG.log(Level.DEBUG, "task {0} runs as process {1}", id, wrapper.pid());
        return LocalRunningProcess.started(wrapper, ref, treeOf(wrapper.toHandle()), files, killGrace, timer, async);
    }

    private ProcessTree treeOf(ProcessHandle wrapper) {
        return setsid.isPresent() ? new ProcessTree.Group(wrapper) : new ProcessTree.Descendants(wrapper);
    }

    /**
     * A recorded {@code known} process counts only if its pid is alive, started at the recorded
     * instant (within {@link ProcessTable#START_TOLERANCE}) and carries the task's marker: a pid
     * reused by another process is not the task's. When it does not run and no status was recorded,
     * a process of the task is looked for by its marker among all processes: a wrapper whose pid was
     * never recorded (it may not even have called {@code setsid} yet), or the writer a wrapper left
     * because it could not record its status. Only when none runs is the task's end decided: ended
     * with the recorded status, never started when its command left no output log, gone otherwise.
     * The exit file is read with care: see {@link TaskFiles#readExitStatus()}.
     */
    @Override
    public Adoption adopt(TaskId id, Optional<ProcessRef> known) {
        requireNonNull(id, "id is null");
        requireNonNull(known, "known is null");
        TaskFiles files = TaskFiles.of(tasksDirectory, id);
        Optional<ProcessHandle> wrapper = known.flatMap(ref -> ProcessTable.findRunning(ref, files.marker()));
        if (wrapper.isPresent()) {
            return stillRunning(id, wrapper.get(), known.get(), files);
        }
        TaskFiles.ExitStatus status = files.readExitStatus();
        if (status instanceof TaskFiles.ExitStatus.Recorded recorded) {
            return new Adoption.Ended(files.exitOf(recorded));
        }
        Optional<ProcessHandle> marked = ProcessTable.findRunningByMarker(files.marker());
        if (marked.isPresent()) {
            ProcessHandle process = marked.get();
            return stillRunning(id, process, new ProcessRef(process.pid(),
                    process.info().startInstant().orElse(Instant.EPOCH)), files);
        }
        // a process that ran until the look above wrote its status before it ended
        TaskFiles.ExitStatus after = files.readExitStatus();
        if (after instanceof TaskFiles.ExitStatus.Recorded recorded) {
            return new Adoption.Ended(files.exitOf(recorded));
        }
        // something at the exit file's place that is no status: the command ran, its end is lost
        if (status instanceof TaskFiles.ExitStatus.Unreadable unreadable) {
            return new Adoption.Gone(Optional.of(unreadable.problem()));
        }
        if (after instanceof TaskFiles.ExitStatus.Unreadable unreadable) {
            return new Adoption.Gone(Optional.of(unreadable.problem()));
        }
        if (files.commandRan()) {
            return new Adoption.Gone();
        }
        LOG.log(Level.INFO, "task {0} has no process, no output log and no exit status: its command never ran", id);
        return new Adoption.NeverStarted();
    }

    private Adoption stillRunning(TaskId id, ProcessHandle process, ProcessRef ref, TaskFiles files) {
        LOG.log(Level.INFO, "task {0} still runs as process {1}: adopted", id, process.pid());
        return new Adoption.StillRunning(
                LocalRunningProcess.adopted(process, ref, this::treeOf, files, killGrace, timer, async));
    }

    @Override
    public String outputTail(TaskId id, int maxLines) {
        requireNonNull(id, "id is null");
        if (maxLines < 0) {
            throw new IllegalArgumentException("maxLines is not negative, not " + maxLines);
        }
        TaskFiles files = TaskFiles.of(tasksDirectory, id);
        StringBuilder tail = new StringBuilder();
        appendSection(tail, "stdout:", files.out(), maxLines);
        appendSection(tail, "stderr:", files.err(), maxLines);
        return tail.toString();
    }

    @Override
    public void deleteFiles(TaskId id) {
        requireNonNull(id, "id is null");
        List<String> failures = new ArrayList<>();
        for (Path file : TaskFiles.of(tasksDirectory, id).all()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                failures.add(file + ": " + e);
            }
        }
        if (!failures.isEmpty()) {
            throw new StoreException("Could not remove the files of task " + id + ": " + String.join("; ", failures));
        }
    }

    @Override
    public List<Path> logFiles(TaskId id) {
        requireNonNull(id, "id is null");
        TaskFiles files = TaskFiles.of(tasksDirectory, id);
        return List.of(files.out(), files.err());
    }

    @Override
    public Optional<Integer> recordedExitCode(TaskId id) {
        requireNonNull(id, "id is null");
        return TaskFiles.of(tasksDirectory, id).recordedCode();
    }

    @Override
    public OutputChunk outputSince(TaskId id, OutputChunk.Position from, int maxBytes) {
        requireNonNull(id, "id is null");
        requireNonNull(from, "from is null");
        TaskFiles files = TaskFiles.of(tasksDirectory, id);
        Tails.Slice out = slice(files.out(), from.stdout(), maxBytes);
        Tails.Slice err = slice(files.err(), from.stderr(), maxBytes);
        return new OutputChunk(new OutputChunk.Part(out.text(), out.skippedBytes()),
                new OutputChunk.Part(err.text(), err.skippedBytes()), new OutputChunk.Position(out.end(), err.end()));
    }

    private static Tails.Slice slice(Path log, long from, int maxBytes) {
        try {
            return Tails.since(log, from, maxBytes);
        } catch (ClosedByInterruptException e) {
            // the reader was told to stop (Ctrl-C while following); its thread stays interrupted
            return new Tails.Slice("", 0, from);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read " + log, e);
            return new Tails.Slice("", 0, from);
        }
    }

    private static void appendSection(StringBuilder tail, String heading, Path log, int maxLines) {
        String lines;
        try {
            lines = Tails.lastLines(log, maxLines, OUTPUT_TAIL_MAX_BYTES);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read " + log, e);
            return;
        }
        if (lines.isEmpty()) {
            return;
        }
        tail.append(heading).append('\n').append(lines);
        if (!lines.endsWith("\n")) {
            tail.append('\n');
        }
    }
}
