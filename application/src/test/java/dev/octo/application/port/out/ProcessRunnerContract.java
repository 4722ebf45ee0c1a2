package dev.octo.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.port.out.ProcessRunner.Adoption;
import dev.octo.domain.TaskId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ProcessRunner} does; a subclass names the runner and how its commands end. A
 * real runner runs commands that do what is asked of them; a scripted one is told to act so. Either
 * way the checks below read only what the port promises, so that a scripted runner that drifts
 * from the real one fails here.
 */
public abstract class ProcessRunnerContract {

    /** Long enough for a loaded machine to start and end a shell. */
    private static final Duration LIMIT = Duration.ofSeconds(60);

    /** The shell's exit status of a command ended by SIGTERM: 128 + 15. */
    private static final int TERMINATED = 143;

    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private ProcessRunner runner;

    /** A new runner whose tasks have left nothing behind yet. */
    protected abstract ProcessRunner newRunner();

    /**
     * Starts task {@code id} through {@code runner} with a command that writes {@code stdout} and
     * {@code stderr} and then exits with {@code exitCode}.
     */
    protected abstract RunningProcess startEnding(ProcessRunner runner, TaskId id, int exitCode, String stdout,
            String stderr);

    /** Starts task {@code id} through {@code runner} with a command that runs until it is stopped. */
    protected abstract RunningProcess startRunning(ProcessRunner runner, TaskId id);

    @BeforeEach
    void openRunner() {
        runner = newRunner();
    }

    private static TaskId newId() {
        return TaskId.of(String.format("cccc%04d", NEXT_ID.incrementAndGet() % 10_000));
    }

    private static ProcessExit exitOf(RunningProcess process) throws Exception {
        return process.exit().toCompletableFuture().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    }

    private ProcessExit run(TaskId id, int exitCode, String stdout, String stderr) throws Exception {
        return exitOf(startEnding(runner, id, exitCode, stdout, stderr));
    }

    // ---- start and exit -------------------------------------------------------------------------

    @Test
    void aCommandEndsWithItsStatusAndWhatItWrote() throws Exception {
        ProcessExit exit = run(newId(), 3, "out line\n", "err line\n");

        assertThat(exit.exitCode()).isEqualTo(3);
        assertThat(exit.stdoutTail()).isEqualTo("out line\n");
        assertThat(exit.stderrTail()).isEqualTo("err line\n");
    }

    @Test
    void aCommandThatWritesNothingEndsWithEmptyTails() throws Exception {
        ProcessExit exit = run(newId(), 0, "", "");

        assertThat(exit.succeeded()).isTrue();
        assertThat(exit.stdoutTail()).isEmpty();
        assertThat(exit.stderrTail()).isEmpty();
    }

    @Test
    void aStartedProcessHasAPid() {
        RunningProcess process = startRunning(runner, newId());
        try {
            assertThat(process.ref().pid()).isPositive();
        } finally {
            process.terminate();
        }
    }

    @Test
    void aRunningCommandHasNotEndedAndRecordedNoStatus() throws Exception {
        TaskId id = newId();
        RunningProcess process = startRunning(runner, id);
        try {
            assertThat(process.exit().toCompletableFuture()).isNotDone();
            assertThat(runner.recordedExitCode(id)).isEmpty();
        } finally {
            process.terminate();
        }
    }

    // ---- terminate ------------------------------------------------------------------------------

    @Test
    void terminateEndsTheCommandAsATermWouldAndLeavesNoStatus() throws Exception {
        TaskId id = newId();
        RunningProcess process = startRunning(runner, id);

        process.terminate();

        assertThat(exitOf(process).exitCode()).isEqualTo(TERMINATED);
        assertThat(runner.recordedExitCode(id)).isEmpty();
    }

    @Test
    void terminatingAnEndedCommandChangesNothing() throws Exception {
        TaskId id = newId();
        RunningProcess process = startEnding(runner, id, 4, "", "");
        ProcessExit exit = exitOf(process);

        process.terminate();

        assertThat(exitOf(process)).isEqualTo(exit);
        assertThat(runner.recordedExitCode(id)).contains(4);
    }

    // ---- recordedExitCode -----------------------------------------------------------------------

    @Test
    void theRecordedStatusIsTheCommands() throws Exception {
        TaskId id = newId();

        run(id, 7, "", "");

        assertThat(runner.recordedExitCode(id)).contains(7);
    }

    @Test
    void aTaskThatNeverRanRecordedNoStatus() {
        assertThat(runner.recordedExitCode(newId())).isEmpty();
    }

    // ---- outputTail -----------------------------------------------------------------------------

    @Test
    void theOutputTailHoldsTheLastLinesOfEachStreamUnderItsHeading() throws Exception {
        TaskId id = newId();

        run(id, 0, "one\ntwo\nthree\n", "oops\n");

        assertThat(runner.outputTail(id, 2)).isEqualTo("stdout:\ntwo\nthree\nstderr:\noops\n");
    }

    @Test
    void theOutputTailLeavesOutAStreamWithNothingOnIt() throws Exception {
        TaskId id = newId();

        run(id, 1, "", "fatal\n");

        assertThat(runner.outputTail(id, 10)).isEqualTo("stderr:\nfatal\n");
    }

    @Test
    void theOutputTailIsEmptyWhenNothingWasWritten() throws Exception {
        TaskId id = newId();

        run(id, 0, "", "");

        assertThat(runner.outputTail(id, 10)).isEmpty();
        assertThat(runner.outputTail(newId(), 10)).isEmpty();
    }

    // ---- outputSince ----------------------------------------------------------------------------

    @Test
    void outputSinceTheStartIsWhatEachStreamGot() throws Exception {
        TaskId id = newId();
        run(id, 0, "hello\n", "bad\n");

        OutputChunk chunk = runner.outputSince(id, OutputChunk.Position.START, 1024);

        assertThat(chunk.stdout()).isEqualTo(new OutputChunk.Part("hello\n", 0));
        assertThat(chunk.stderr()).isEqualTo(new OutputChunk.Part("bad\n", 0));
        assertThat(chunk.end()).isEqualTo(new OutputChunk.Position(6, 4));
    }

    @Test
    void outputSinceTheEndIsNothingNew() throws Exception {
        TaskId id = newId();
        run(id, 0, "hello\n", "bad\n");
        OutputChunk.Position end = runner.outputSince(id, OutputChunk.Position.START, 1024).end();

        OutputChunk chunk = runner.outputSince(id, end, 1024);

        assertThat(chunk).isEqualTo(OutputChunk.nothingAt(end));
    }

    @Test
    void outputSinceKeepsTheLastBytesAndCountsTheOnesLeftOut() throws Exception {
        TaskId id = newId();
        run(id, 0, "0123456789", "");

        OutputChunk chunk = runner.outputSince(id, new OutputChunk.Position(2, 0), 4);

        assertThat(chunk.stdout()).isEqualTo(new OutputChunk.Part("6789", 4));
        assertThat(chunk.end()).isEqualTo(new OutputChunk.Position(10, 0));
    }

    @Test
    void aLogShorterThanThePositionIsReadFromItsStart() throws Exception {
        TaskId id = newId();
        run(id, 0, "anew\n", "");

        OutputChunk chunk = runner.outputSince(id, new OutputChunk.Position(100, 100), 1024);

        assertThat(chunk.stdout()).isEqualTo(new OutputChunk.Part("anew\n", 0));
        assertThat(chunk.stderr()).isEqualTo(OutputChunk.Part.NONE);
        assertThat(chunk.end()).isEqualTo(new OutputChunk.Position(5, 0));
    }

    @Test
    void outputSinceOfATaskThatWroteNothingIsNothing() {
        assertThat(runner.outputSince(newId(), OutputChunk.Position.START, 1024))
                .isEqualTo(OutputChunk.nothingAt(OutputChunk.Position.START));
    }

    // ---- logFiles -------------------------------------------------------------------------------

    @Test
    void theLogFilesAreStdoutsThenStderrsWhetherOrNotTheyWereWritten() throws Exception {
        TaskId ran = newId();
        TaskId never = newId();
        run(ran, 0, "x\n", "y\n");

        List<Path> files = runner.logFiles(ran);

        assertThat(files).hasSize(2).doesNotHaveDuplicates();
        assertThat(files.get(0).getFileName().toString()).contains(ran.value()).contains("out");
        assertThat(files.get(1).getFileName().toString()).contains(ran.value()).contains("err");
        assertThat(runner.logFiles(never)).hasSize(2).doesNotHaveDuplicates().doesNotContainAnyElementsOf(files);
    }

    // ---- deleteFiles ----------------------------------------------------------------------------

    @Test
    void deleteFilesForgetsTheOutputAndTheStatus() throws Exception {
        TaskId id = newId();
        run(id, 5, "out\n", "err\n");

        runner.deleteFiles(id);

        assertThat(runner.outputTail(id, 10)).isEmpty();
        assertThat(runner.recordedExitCode(id)).isEmpty();
        assertThat(runner.outputSince(id, OutputChunk.Position.START, 1024))
                .isEqualTo(OutputChunk.nothingAt(OutputChunk.Position.START));
    }

    @Test
    void deleteFilesOfATaskThatLeftNoneIsNoError() {
        TaskId id = newId();

        runner.deleteFiles(id);
        runner.deleteFiles(id);

        assertThat(runner.outputTail(id, 10)).isEmpty();
    }

    // ---- adopt ----------------------------------------------------------------------------------

    @Test
    void adoptingATaskThatNeverStartedFindsThatItNeverRan() {
        assertThat(runner.adopt(newId(), Optional.empty())).isEqualTo(new Adoption.NeverStarted());
    }

    @Test
    void adoptingATaskWhoseCommandEndedFindsItsExit() throws Exception {
        TaskId id = newId();
        RunningProcess process = startEnding(runner, id, 4, "done\n", "warn\n");
        exitOf(process);

        Adoption adoption = runner.adopt(id, Optional.of(process.ref()));

        assertThat(adoption).isInstanceOfSatisfying(Adoption.Ended.class, ended -> {
            assertThat(ended.exit().exitCode()).isEqualTo(4);
            assertThat(ended.exit().stdoutTail()).isEqualTo("done\n");
            assertThat(ended.exit().stderrTail()).isEqualTo("warn\n");
        });
    }

    @Test
    void adoptingATaskThatStillRunsWatchesItAgain() throws Exception {
        TaskId id = newId();
        RunningProcess process = startRunning(runner, id);
        try {
            Adoption adoption = runner.adopt(id, Optional.of(process.ref()));

            assertThat(adoption).isInstanceOf(Adoption.StillRunning.class);
            RunningProcess adopted = ((Adoption.StillRunning) adoption).process();
            assertThat(adopted.ref().pid()).isEqualTo(process.ref().pid());

            adopted.terminate();

            assertThat(exitOf(adopted).exitCode()).isEqualTo(TERMINATED);
            exitOf(process);
        } finally {
            process.terminate();
        }
    }

    @Test
    void adoptingATaskThatStillRunsFindsItWithoutItsRecordedProcess() {
        TaskId id = newId();
        RunningProcess process = startRunning(runner, id);
        try {
            Adoption adoption = runner.adopt(id, Optional.empty());

            assertThat(adoption).isInstanceOfSatisfying(Adoption.StillRunning.class,
                    still -> assertThat(still.process().ref().pid()).isEqualTo(process.ref().pid()));
        } finally {
            process.terminate();
        }
    }

    @Test
    void adoptingATaskWhoseCommandWasKilledFindsItGone() throws Exception {
        TaskId id = newId();
        RunningProcess process = startRunning(runner, id);
        process.terminate();
        exitOf(process);

        assertThat(runner.adopt(id, Optional.of(process.ref()))).isEqualTo(new Adoption.Gone());
    }
}
