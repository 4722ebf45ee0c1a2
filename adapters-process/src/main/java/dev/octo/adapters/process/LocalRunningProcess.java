package dev.octo.adapters.process;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.ProcessExit;
import dev.octo.application.port.out.RunningProcess;
import dev.octo.domain.ProcessRef;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
    private final ProcessTree tree;
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

    /** Watches a wrapper this JVM started: the JDK tells when its child ends, and how. */
    static LocalRunningProcess started(Process wrapper, ProcessRef ref, ProcessTree tree, TaskFiles files,
            Duration killGrace, ScheduledExecutorService timer, Executor async) {
        LocalRunningProcess running = new LocalRunningProcess(ref, tree, killGrace, timer, async);
        // when the wrapper recorded no status, the JDK's exit value is 128 + the signal that ended it
        wrapper.onExit().thenAcceptAsync(ended -> running.wrapperEnded(files, terminated -> ended.exitValue()), async);
        return running;
    }

    /**
     * Watches a wrapper an earlier Octo started. It is not this JVM's child, so its end is found by
     * polling: {@link ProcessHandle#onExit()} polls too, but with pauses that grow to 5 s, and never
     * sees the end of a wrapper left as a zombie by a parent that does not reap orphans.
     */
    static LocalRunningProcess adopted(ProcessHandle wrapper, ProcessRef ref, ProcessTree tree,
            TaskFiles files, Duration killGrace, ScheduledExecutorService timer, Executor async) {
        LocalRunningProcess running = new LocalRunningProcess(ref, tree, killGrace, timer, async);
        running.pollUntilEnded(wrapper, files);
        return running;
    }

    private void pollUntilEnded(ProcessHandle wrapper, TaskFiles files) {
        if (ProcessTable.isRunning(wrapper)) {
            later(ADOPTED_POLL, () -> pollUntilEnded(wrapper, files));
            return;
        }
        wrapperEnded(files, terminated -> terminated ? UNRECORDED_TERMINATED_EXIT : UNRECORDED_ADOPTED_EXIT);
    }

    /**
     * The wrapper writes the status before it exits, so once it has exited the file is there or never
     * will be. After a terminate, the exit waits until the rest of the tree is gone as well, so that
     * nothing of the task still runs when its end is reported.
     */
    private void wrapperEnded(TaskFiles files, UnrecordedCode unrecordedCode) {
        Runnable report = () -> complete(files.recordedExit()
                .orElseGet(() -> files.unrecordedExit(unrecordedCode.of(terminated.get()))));
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

    /** The exit code to report when the wrapper recorded none, knowing whether it was terminated. */
    @FunctionalInterface
    private interface UnrecordedCode {
        int of(boolean terminated);
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
        async.execute(tree::term);
        later(killGrace, tree::kill);
    }
}
