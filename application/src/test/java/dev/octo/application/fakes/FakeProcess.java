package dev.octo.application.fakes;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.ProcessExit;
import dev.octo.application.port.out.RunningProcess;
import dev.octo.domain.ProcessRef;
import dev.octo.domain.TaskId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A {@link RunningProcess} the test ends by hand: {@link #finish} as the command would exit, and
 * {@link #terminate()} as a TERM would, with exit code {@value #TERMINATED_EXIT_CODE}.
 *
 * <p>It holds no lock while it completes its exit, so the code that watches it may call back into
 * it (or take its own locks) from the completion.
 */
public final class FakeProcess implements RunningProcess {

    /** The shell's exit status of a command ended by SIGTERM: 128 + 15. */
    public static final int TERMINATED_EXIT_CODE = 143;

    private final TaskId taskId;
    private final ProcessRef ref;
    private final BiConsumer<FakeProcess, ProcessExit> onEnd;
    private final CompletableFuture<ProcessExit> exit = new CompletableFuture<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicInteger terminations = new AtomicInteger();
    private volatile boolean killed;

    FakeProcess(TaskId taskId, ProcessRef ref, BiConsumer<FakeProcess, ProcessExit> onEnd) {
        this.taskId = requireNonNull(taskId, "taskId is null");
        this.ref = requireNonNull(ref, "ref is null");
        this.onEnd = requireNonNull(onEnd, "onEnd is null");
    }

    public TaskId taskId() {
        return taskId;
    }

    @Override
    public ProcessRef ref() {
        return ref;
    }

    @Override
    public CompletionStage<ProcessExit> exit() {
        return exit;
    }

    /**
     * Ends the command with {@code exitCode} and what it wrote.
     *
     * @return false when it had already ended (the first end wins)
     */
    public boolean finish(int exitCode, String stdout, String stderr) {
        return finish(new ProcessExit(exitCode, stdout, stderr));
    }

    /** Ends the command with {@code result}; false when it had already ended. */
    public boolean finish(ProcessExit result) {
        return end(result, false);
    }

    private boolean end(ProcessExit result, boolean byTerm) {
        requireNonNull(result, "result is null");
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        killed = byTerm;
        // counted as stopped, and its output kept, before anyone hears of the exit: a freed worker
        // slot that starts the next command never makes the count look higher than it was, and
        // whoever hears of it finds the output there
        onEnd.accept(this, result);
        exit.complete(result);
        return true;
    }

    /**
     * Like a TERM to the process group: records the call and ends the command with 143; a command
     * that had already ended keeps the end it had.
     */
    @Override
    public void terminate() {
        terminations.incrementAndGet();
        end(new ProcessExit(TERMINATED_EXIT_CODE, "", "Terminated"), true);
    }

    /** Whether it was ever told to terminate, even after it had ended. */
    public boolean wasTerminated() {
        return terminations.get() > 0;
    }

    /** Whether a {@link #terminate()} ended it, as a killed wrapper that records no status. */
    public boolean wasKilled() {
        return killed;
    }

    public int terminations() {
        return terminations.get();
    }

    public boolean isRunning() {
        return !ended.get();
    }

    /** The exit it ended with, or empty while it runs. */
    public Optional<ProcessExit> result() {
        return Optional.ofNullable(exit.getNow(null));
    }

    @Override
    public String toString() {
        return "FakeProcess[" + taskId + ", pid " + ref.pid() + (isRunning() ? ", running]" : ", ended]");
    }
}
