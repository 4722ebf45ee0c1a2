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
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * Runs process tasks as local processes that do not need Octo to go on.
 *
 * <p>Each command runs in one {@code /bin/sh}, started by {@link PosixSpawn} straight into a session
 * and process group of its own: its pid is the group id, and signalling the group reaches everything
 * the command started. Its stdin is {@code /dev/null}, and its stdout and stderr are opened straight
 * on {@code <id>.out.log} and {@code <id>.err.log} in the tasks directory by the spawn itself (no
 * output passes through this JVM). The shell runs the command inside a short {@link #script}, so
 * it is called the task's wrapper here, which writes the command's exit status to {@code <id>.exit}
 * when it ends, so that a later Octo learns how a task
 * ended that outlived this one. Its first argument, {@code octo-task-<id>}, marks it, so that a later
 * Octo can find it by command line when no {@link ProcessRef} was recorded.
 *
 * <p>One program per task is the point: every program start costs milliseconds of system time, and
 * a helper, a {@code setsid} program and a second shell per task made Octo several times slower than
 * {@code xargs} at running many short tasks. The price is that the command runs inside the shell
 * that records its status rather than in one of its own; how that differs from a plain
 * {@code sh -c} is said at {@link #script}.
 *
 * <p>Where {@code posix_spawn} cannot be used (not Linux with glibc), the same shell is started by
 * {@code ProcessBuilder} through the {@code setsid} program. Then {@link #start} returns as soon as
 * {@code setsid} runs, a moment before it has made the session; stopping the task waits for that
 * moment, so that the TERM reaches the group. Within that window the process is still in Octo's
 * process group and session, and a signal sent to Octo's group (a group kill, a closed terminal's
 * HUP, a Ctrl-C while a command is answered) stops it too. The command has not run then, and its
 * output logs, which the shell opens after {@code setsid}, do not exist: when Octo died with it,
 * the next start finds no process, no log and no status, and {@link #adopt} answers
 * {@link Adoption.NeverStarted}, so the task is queued again and runs once. Where there is no
 * {@code setsid} either, the shell runs in Octo's
 * own process group, and stopping a task stops the shell and its descendants one by one: a
 * grandchild that forked away from its parent is then missed, and a Ctrl-C in Octo's terminal
 * reaches the command too.
 *
 * <p>A shell stopped by a signal records no status: its exit then reports the code its parent saw
 * (128 + the signal) or, for an adopted task, 143 when it was terminated through this runner and
 * 137 otherwise, with a note at the end of the stderr tail.
 */
public final class LocalProcessRunner implements ProcessRunner {

    static final File DEV_NULL = new File("/dev/null");
    static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(LocalProcessRunner.class.getName());
    private static final List<Path> SETSID_CANDIDATES = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));
    private static final Path SHELL = Path.of("/bin/sh");
    private static final int OUTPUT_TAIL_MAX_BYTES = 1024 * 1024;

    /**
     * What {@code /bin/sh -c} runs: {@link #BEFORE_COMMAND}, the command, a newline and
     * {@link #AFTER_COMMAND}, with {@code $0} {@code /bin/sh}, {@code $1} the task's marker, {@code $2}
     * the exit file, {@code $3} the {@code setsid} program or nothing, and {@code $4} and {@code $5}
     * the stdout and stderr logs to open, or nothing when the spawn opened them.
     *
     * <p>The command is part of the script rather than an argument to {@code eval}, so that the
     * shell reports its errors as a plain {@code sh -c} does ("/bin/sh: 1: make: not found", not
     * "eval: make: not found"), and everything before it is on its first line, so that line numbers
     * are the command's own. The status is recorded after the command's last line and, for a command
     * that calls {@code exit} or stops on an error, by the {@code EXIT} trap.
     *
     * <p>How the command's shell differs from a plain {@code sh -c <command>}:
     * <ul>
     *   <li>a command that replaces the shell ({@code exec program}) leaves no status: Octo, its
     *       parent, still sees how it ended, but after Octo itself ended, the next start reports the
     *       task as ended with its status unknown;
     *   <li>a command that sets its own {@code EXIT} trap replaces the one that records the status,
     *       so a status is recorded only when the command gets to its end, not when it calls
     *       {@code exit}; a syntax error on the command's first line stops the shell before anything
     *       runs, with status 2, and no status is recorded either (Octo sees both);
     *   <li>the shell has the variables {@code octo_marker}, {@code octo_exit_file},
     *       {@code octo_setsid}, {@code octo_status} and {@code octo_recorded} and the function
     *       {@code octo_record};
     *   <li>the shell runs no command as its last one in place of itself, so every program the
     *       command runs is a child of the shell.
     * </ul>
     * {@code $0}, {@code $#}, {@code $$} (the group's id), {@code $PPID} (Octo) and the shell's error
     * messages are as in a plain {@code sh -c}.
     *
     * <p>The status is written in place, not aside and renamed: that would cost one more program
     * per task, and nobody relies on the file before the shell has exited (a reader in this JVM
     * waits for the exit, and has the shell's own status when the file is empty; an adopting one
     * finds no process of the task running first). A shell killed while writing leaves the file
     * empty, which reads as no status recorded.
     *
     * <p>When the status cannot be written (a full disk, something that is no file at its place),
     * the shell still exits with it, so that the Octo that started it, its parent, learns it from
     * its exit. For a later Octo, which is not its parent, it leaves a writer behind: a shell in a
     * session of its own whose first argument is the marker too, so that it is adopted like the
     * task, and which tries the write again every second for about a day (86,400 tries) before it
     * gives up; it gives up at once when the tasks folder is gone, since nobody will read it there.
     * The writer and its {@code sleep} are started only when the write failed: a task that records
     * its status normally runs no program besides its shell and what its command runs. Neither
     * writes anything to the task's stderr.
     *
     * <p>The shell does not catch TERM: stopping a task kills the shell too, and leaves no exit file.
     */
    static String script(String command) {
        return BEFORE_COMMAND + command + "\n" + AFTER_COMMAND;
    }

    /** The first line of {@link #script}, up to the command: one line, so that its line numbers stay. */
    static final String BEFORE_COMMAND = String.join(" ", """
            octo_marker=$1 octo_exit_file=$2 octo_setsid=$3;
            [ -z "$4" ] || exec >"$4" 2>"$5";
            octo_record() {
            [ -n "${octo_recorded-}" ] && return;
            octo_recorded=1 octo_status=$1;
            if ! printf '%s\\n' "$octo_status" 2>/dev/null >|"$octo_exit_file"; then
            ${octo_setsid:+"$octo_setsid"} /bin/sh -c '
            tries=1;
            until printf "%s\\n" "$2" 2>/dev/null >|"$3"; do
            [ "$tries" -lt 86400 ] && [ -d "${3%/*}" ] || exit 1;
            tries=$((tries + 1));
            sleep 1 || exit 1;
            done' /bin/sh "$octo_marker" "$octo_status" "$octo_exit_file" </dev/null >/dev/null 2>&1 &
            fi;
            };
            trap 'octo_record "$?"' EXIT;
            set --;
            """.strip().split("\n"));

    /** After the command's last line: records its status, and exits with it. */
    static final String AFTER_COMMAND = "octo_record \"$?\"; exit \"$octo_status\"\n";

    private final Path tasksDirectory;
    private final Duration killGrace;
    private final Supplier<Optional<PosixSpawn>> spawner;
    private final Optional<Path> setsid;
    private final ScheduledExecutorService timer;
    private final Executor async;
    private final ExecutorService reapers;

    /** Keeps task files in {@code tasksDirectory}; stopping a task waits 5 s between TERM and KILL. */
    public LocalProcessRunner(Path tasksDirectory) {
        this(tasksDirectory, DEFAULT_KILL_GRACE);
    }

    /** As the other constructor, with {@code killGrace} between TERM and KILL when stopping a task. */
    public LocalProcessRunner(Path tasksDirectory, Duration killGrace) {
        this(tasksDirectory, killGrace, () -> LinkedOnFirstUse.SPAWN, findSetsid());
    }

    /**
     * The C library's spawn, linked when a task first starts or is looked at: linking its functions
     * takes about a tenth of Octo's start, which the first prompt does not need.
     */
    private static final class LinkedOnFirstUse {
        static final Optional<PosixSpawn> SPAWN = PosixSpawn.load();
    }

    /** Starts tasks through {@code ProcessBuilder} and {@code setsid}; empty runs them without a group of their own. */
    LocalProcessRunner(Path tasksDirectory, Duration killGrace, Optional<Path> setsid) {
        this(tasksDirectory, killGrace, Optional.empty(), setsid);
    }

    /**
     * Starts tasks with {@code spawner} when there is one, through {@code ProcessBuilder} and
     * {@code setsid} otherwise; {@code setsid} also gives the writer a shell may leave behind (see
     * {@link #script}) a session of its own.
     */
    LocalProcessRunner(Path tasksDirectory, Duration killGrace, Optional<PosixSpawn> spawner, Optional<Path> setsid) {
        requireNonNull(spawner, "spawner is null");
        this(tasksDirectory, killGrace, () -> spawner, setsid);
    }

    private LocalProcessRunner(Path tasksDirectory, Duration killGrace, Supplier<Optional<PosixSpawn>> spawner,
            Optional<Path> setsid) {
        this.tasksDirectory = requireNonNull(tasksDirectory, "tasksDirectory is null").toAbsolutePath().normalize();
        this.killGrace = requireNonNull(killGrace, "killGrace is null");
        this.spawner = requireNonNull(spawner, "spawner is null");
        this.setsid = requireNonNull(setsid, "setsid is null");
        if (killGrace.isNegative()) {
            throw new IllegalArgumentException("a kill grace is not negative, not " + killGrace);
        }
        if (setsid.isEmpty() && spawner.get().isEmpty()) {
            LOG.log(Level.WARNING, "no setsid found: a process task's forked-away grandchildren "
                    + "survive its cancellation, and it shares Octo's process group");
        }
        ThreadFactory daemon = Thread.ofPlatform().name("octo-process-timer").daemon().factory();
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon);
        this.async = task -> Thread.ofVirtual().name("octo-process").start(task);
        // waitpid blocks in native code, which would pin a virtual thread's carrier: platform threads,
        // one per task running at the moment, kept a minute for the next
        this.reapers = Executors.newCachedThreadPool(Thread.ofPlatform().name("octo-reaper-", 0).daemon().factory());
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
        List<String> shell = new ArrayList<>(List.of(SHELL.toString(), "-c", script(spec.command()), SHELL.toString(),
                files.marker(), files.exit().toString(), setsid.map(Path::toString).orElse("")));
        Optional<PosixSpawn> posix = spawner.get();
        if (posix.isPresent()) {
            shell.addAll(List.of("", ""));
            return spawn(posix.get(), id, shell, spec, files);
        }
        // the shell opens the logs after setsid, right before the command: see commandRan()
        shell.addAll(List.of(files.out().toString(), files.err().toString()));
        return startWithSetsid(id, shell, spec, files);
    }

    private RunningProcess spawn(PosixSpawn posix, TaskId id, List<String> shell, ProcessSpec spec, TaskFiles files) {
        Map<String, String> environment = System.getenv();
        if (!spec.environment().isEmpty()) {
            environment = new HashMap<>(environment);
            environment.putAll(spec.environment());
        }
        List<String> entries = new ArrayList<>(environment.size());
        environment.forEach((name, value) -> entries.add(name + "=" + value));
        Instant launched = Instant.now();
        int pid;
        try {
            pid = posix.spawn(SHELL, shell, entries, spec.workingDirectory(), DEV_NULL.toPath(), files.out(), files.err());
        } catch (IOException e) {
            throw new ProcessStartException("Cannot start the command of task " + id + ": " + e.getMessage(), e);
        }
        // read before the reaper may reap it: until then it is there, if only as a zombie
        ProcessHandle handle = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("process " + pid + " vanished before it was reaped"));
        Instant started = ProcessTable.startOf(pid).or(() -> handle.info().startInstant()).orElse(launched);
        ProcessRef ref = new ProcessRef(pid, started);
        CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> {
            try {
                return posix.awaitExit(pid);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, reapers);
        LOG.log(Level.DEBUG, "task {0} runs as process {1}", id, pid);
        return LocalRunningProcess.started(handle, exitCode, ref, this::treeOf, files, killGrace, timer, async);
    }

    private RunningProcess startWithSetsid(TaskId id, List<String> shell, ProcessSpec spec, TaskFiles files) {
        List<String> command = new ArrayList<>();
        setsid.ifPresent(program -> command.add(program.toString()));
        command.addAll(shell);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(spec.workingDirectory().toFile())
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
        return LocalRunningProcess.started(wrapper.toHandle(), wrapper.onExit().thenApply(Process::exitValue),
                ref, this::treeOf, files, killGrace, timer, async);
    }

    private ProcessTree treeOf(ProcessHandle wrapper) {
        Optional<PosixSpawn> posix = spawner.get();
        return posix.isPresent() || setsid.isPresent()
                ? new ProcessTree.Group(wrapper, posix)
                : new ProcessTree.Descendants(wrapper);
    }

    /**
     * Without a recorded process and without any file of the command (logs, exit status), a command
     * started by {@link PosixSpawn} never ran: the spawn opens the logs before it runs. A recorded {@code known} process
     * counts only if its pid is alive, started at the recorded instant (within
     * {@link ProcessTable#START_TOLERANCE}) and carries the task's marker or leads its own group: a
     * pid reused by another process is not the task's. When it does not run and no status was recorded,
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
        // the spawn opens the logs before the shell runs, so without them and without a recorded
        // process it never ran: no need to look through every process (a start may ask this of
        // many queued tasks). A shell started through setsid opens them itself, a moment after it runs.
        if (known.isEmpty() && !files.commandRan() && spawner.get().isPresent()) {
            return new Adoption.NeverStarted();
        }
        Optional<ProcessHandle> wrapper = known.flatMap(ref -> ProcessTable.findRunning(ref, files.marker()));
        if (wrapper.isPresent()) {
            return stillRunning(id, wrapper.get(), known.get(), files);
        }
        TaskFiles.ExitStatus status = files.readExitStatus();
        if (status instanceof TaskFiles.ExitStatus.Recorded recorded) {
            return new Adoption.Ended(files.exitOf(recorded), files.commandStarted());
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
            return new Adoption.Ended(files.exitOf(recorded), files.commandStarted());
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
