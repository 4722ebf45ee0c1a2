package dev.octo.adapters.process;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.ProcessExit;
import dev.octo.application.port.out.RunningProcess;
import dev.octo.domain.ProcessRef;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/** A task's wrapper, started by this Octo or adopted from an earlier one. */
final class LocalRunningProcess implements RunningProcess {

    /** The exit code reported for an adopted wrapper that was terminated and recorded no status. */
    static final int UNRECORDED_TERMINATED_EXIT = 128 + 15;

    /**
     * The exit code reported for an adopted wrapper that ended on its own without recording a
     * status. Nothing tells how it ended; something killed it before it could write the file, and
     * SIGKILL is the likeliest.
     */
    static final int UNRECORDED_ADOPTED_EXIT = 128 + 9;

    /** How often an adopted wrapper, which is not this JVM's child, is checked for its end. */
    private static final Duration ADOPTED_POLL = Duration.ofMillis(200);

    /** How often a terminated tree is checked for members left after the wrapper ended. */
    private static final Duration TREE_POLL = Duration.ofMillis(100);

    /** How long after the KILL a terminated tree may take to disappear before exit() completes anyway. */
    private static final Duration KILL_SETTLE = Duration.ofSeconds(2);

    private static final System.Logger LOG = System.getLogger(LocalProcessRunner.class.getName());

    private final ProcessRef ref;
    // the wrapper's tree, or that of the writer it left to record its status (see pollUntilEnded)
    private volatile ProcessTree tree;
    private final Duration killGrace;
    private final ScheduledExecutorService timer;
    private final Executor async;
    private final CompletableFuture<ProcessExit> exit = new CompletableFuture<>();
    private final AtomicBoolean terminated = new AtomicBoolean();

    private LocalRunningProcess(ProcessRef ref, ProcessTree tree, Duration killGrace,
            ScheduledExecutorService timer, Executor async) {
        this.ref = requireNonNull(ref, "ref is null");
        this.tree = requireNonNull(tree, "tree is null");
        this.killGrace = requireNonNull(killGrace, "killGrace is null");
        this.timer = requireNonNull(timer, "timer is null");
        this.async = requireNonNull(async, "async is null");
    }

    /**
     * Watches a wrapper this JVM started, whose {@code exitCode} its parent learns: the status it
     * exited with, or 128 + the signal that ended it. It exits with its command's status, so when it
     * exited normally without recording the status, its own is the command's. When its end cannot be
     * learnt that way (it was reaped elsewhere), it is watched as an adopted one is.
     */
    static LocalRunningProcess started(ProcessHandle wrapper, CompletionStage<Integer> exitCode, ProcessRef ref,
            Function<ProcessHandle, ProcessTree> treeOf, TaskFiles files, Duration killGrace,
            ScheduledExecutorService timer, Executor async) {
        LocalRunningProcess running = new LocalRunningProcess(ref, treeOf.apply(wrapper), killGrace, timer, async);
        exitCode.whenCompleteAsync((code, failure) -> {
            if (failure != null) {
                LOG.log(Level.WARNING, "cannot wait for process " + ref.pid() + "; watching it instead", failure);
                running.pollUntilEnded(wrapper, files, treeOf);
                return;
            }
            running.wrapperEnded(files, terminated ->
                    terminated || code > 128 ? files.unrecordedExit(code) : files.exitSeenByParent(code));
        }, async);
        return running;
    }

    /**
     * Watches a process of a task an earlier Octo started: its wrapper, or the writer that a wrapper
     * which could not record its status left to try again. It is not this JVM's child, so its end is
     * found by polling: {@link ProcessHandle#onExit()} polls too, but with pauses that grow to 5 s,
     * and never sees the end of a wrapper left as a zombie by a parent that does not reap orphans.
     * {@code treeOf} gives the tree of such a process.
     */
    static LocalRunningProcess adopted(ProcessHandle wrapper, ProcessRef ref, Function<ProcessHandle, ProcessTree> treeOf,
            TaskFiles files, Duration killGrace, ScheduledExecutorService timer, Executor async) {
        LocalRunningProcess running = new LocalRunningProcess(ref, treeOf.apply(wrapper), killGrace, timer, async);
        running.pollUntilEnded(wrapper, files, treeOf);
        return running;
    }

    private void pollUntilEnded(ProcessHandle process, TaskFiles files, Function<ProcessHandle, ProcessTree> treeOf) {
        if (ProcessTable.isRunning(process)) {
            later(ADOPTED_POLL, () -> pollUntilEnded(process, files, treeOf));
            return;
        }
        if (!terminated.get() && !(files.readExitStatus() instanceof TaskFiles.ExitStatus.Recorded)) {
            // a wrapper that could not write its status (a full disk) exits with it and leaves a
            // writer, marked as it is, that tries again: this Octo, not its parent, learns it from there
            Optional<ProcessHandle> writer = ProcessTable.findRunningByMarker(files.marker());
            if (writer.isPresent()) {
                LOG.log(Level.INFO, "process {0} ended before its status was written; waiting for process {1},"
                        + " which writes it", process.pid(), writer.get().pid());
                tree = treeOf.apply(writer.get());
                if (terminated.get()) {
                    async.execute(() -> tree.term()); // a terminate that came meanwhile went to the old tree
                }
                later(ADOPTED_POLL, () -> pollUntilEnded(writer.get(), files, treeOf));
                return;
            }
        }
        wrapperEnded(files, terminated -> files.unrecordedExit(
                terminated ? UNRECORDED_TERMINATED_EXIT : UNRECORDED_ADOPTED_EXIT));
    }

    /**
     * The wrapper writes the status before it exits, so once it has exited (and, for an adopted one,
     * no writer it left runs) the file is there or never will be. After a terminate, the exit waits
     * until the rest of the tree is gone as well, so that nothing of the task still runs when its end
     * is reported.
     */
    private void wrapperEnded(TaskFiles files, Unrecorded unrecorded) {
        Runnable report = () -> complete(files.recordedExit()
                .orElseGet(() -> unrecorded.exit(terminated.get())));
        if (terminated.get()) {
            // the KILL comes at most the grace after the wrapper's end; give it time to take effect
            awaitTreeGone(report, System.nanoTime() + killGrace.plus(KILL_SETTLE).toNanos());
        } else {
            report.run();
        }
    }

    private void awaitTreeGone(Runnable then, long giveUpAt) {
        if (tree.isGone() || System.nanoTime() - giveUpAt > 0) {
            then.run();
        } else {
            later(TREE_POLL, () -> awaitTreeGone(then, giveUpAt));
        }
    }

    /** The exit to report when the wrapper recorded no status, knowing whether it was terminated. */
    @FunctionalInterface
    private interface Unrecorded {
        ProcessExit exit(boolean terminated);
    }

    private void later(Duration delay, Runnable task) {
        timer.schedule(() -> async.execute(task), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void complete(ProcessExit ended) {
        LOG.log(Level.DEBUG, "process {0} ended with {1}", ref.pid(), ended.exitCode());
        exit.complete(ended);
    }

    @Override
    public ProcessRef ref() {
        return ref;
    }

    @Override
    public CompletionStage<ProcessExit> exit() {
        // callers may wait on it, but only the wrapper's end completes it
        return exit.minimalCompletionStage();
    }

    /**
     * Sends TERM to the whole tree at once and KILL after the grace; the KILL also goes when the
     * wrapper has ended by then, since a grandchild that ignores TERM may still be in the group.
     */
    @Override
    public void terminate() {
        if (!terminated.compareAndSet(false, true)) {
            return;
        }
        LOG.log(Level.DEBUG, "terminating process {0}", ref.pid());
        // the tree as it is when each signal goes: an adopted task may have moved on to its writer
        async.execute(() -> tree.term());
        later(killGrace, () -> tree.kill());
    }
}
