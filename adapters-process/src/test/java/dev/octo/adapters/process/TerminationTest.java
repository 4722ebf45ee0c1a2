package dev.octo.adapters.process;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.Eventually;
import dev.octo.application.port.out.ProcessExit;
import dev.octo.application.port.out.RunningProcess;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.TaskId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TerminationTest extends MarkedProcessesTest {

    private static final Duration SETTLE = Duration.ofSeconds(10);

    private RunningProcess start(LocalProcessRunner runner, String command) {
        return watched(runner.start(LocalProcessRunnerTest.newId(), ProcessSpec.of(command, work)));
    }

    private long sleepsRunning() {
        return Processes.running(sleep);
    }

    @Test
    void terminateStopsTheWholeTreeADoubleForkedGrandchildIncluded() throws Exception {
        LocalProcessRunner runner = new LocalProcessRunner(tasks, Duration.ofSeconds(5));
        RunningProcess process = start(runner, sleep + " 300 & (" + sleep + " 300 &); " + sleep + " 300");
        assertThat(Eventually.holds(SETTLE, () -> sleepsRunning() == 3)).as("three sleeps run").isTrue();

        process.terminate();

        ProcessExit exit = process.exit().toCompletableFuture().get(30, SECONDS);
        assertThat(exit.exitCode()).isEqualTo(143);
        assertThat(Eventually.holds(SETTLE, () -> Processes.livingWith(marker).isEmpty()))
                .as("no process left: %s", Processes.livingWith(marker)).isTrue();
    }

    @Test
    void aCommandThatIgnoresTermIsKilledAfterTheGrace() throws Exception {
        LocalProcessRunner runner = new LocalProcessRunner(tasks, Duration.ofSeconds(5));
        RunningProcess process = start(runner, "trap '' TERM; " + sleep + " 300 & " + sleep + " 300");
        assertThat(Eventually.holds(SETTLE, () -> sleepsRunning() == 2)).isTrue();
        ProcessHandle shell = ProcessHandle.of(process.ref().pid()).orElseThrow();

        process.terminate();

        // the command's shell ignores TERM as its sleeps do, as a plain sh -c would: all wait for the KILL
        assertThat(shell.onExit().completeOnTimeout(shell, 3, SECONDS).get().isAlive()).isTrue();
        assertThat(sleepsRunning()).isEqualTo(2);
        assertThat(process.exit().toCompletableFuture()).isNotDone();

        ProcessExit exit = process.exit().toCompletableFuture().get(30, SECONDS);
        // KILL ended the shell before it could record a status: its parent saw 128 + SIGKILL
        assertThat(exit.exitCode()).isEqualTo(137);
        assertThat(exit.stderrTail()).contains(TaskFiles.UNRECORDED_NOTE);
        assertThat(Processes.livingWith(marker)).isEmpty();
        assertThat(sleepsRunning()).isZero();
    }

    @Test
    void terminateRightAfterStartStopsTheCommand() throws Exception {
        LocalProcessRunner runner = new LocalProcessRunner(tasks, Duration.ofSeconds(30));
        RunningProcess process = start(runner, sleep + " 300");

        process.terminate();

        assertThat(process.exit().toCompletableFuture().get(20, SECONDS).exitCode()).isEqualTo(143);
    }

    @Test
    void terminateRightAfterStartStillStopsADoubleForkedGrandchild() throws Exception {
        // a grace longer than the wait below: only the TERM can pass this test, not the KILL
        LocalProcessRunner runner = new LocalProcessRunner(tasks, Duration.ofSeconds(60));
        // the later delays let the TERM come while the command is forking its background sleeps
        for (int delayMillis : new int[] {0, 0, 1, 2, 5, 10, 20}) {
            RunningProcess process = start(runner, "(" + sleep + " 300 &); " + sleep + " 300 & " + sleep + " 300");
            Thread.sleep(delayMillis);

            process.terminate();

            assertThat(process.exit().toCompletableFuture().get(20, SECONDS).exitCode())
                    .as("after %d ms", delayMillis).isEqualTo(143);
            assertThat(Eventually.holds(SETTLE, () -> Processes.livingWith(marker).isEmpty()))
                    .as("after %d ms no process is left: %s", delayMillis, Processes.livingWith(marker)).isTrue();
        }
    }

    @Test
    void terminateBeforeTheWrapperHasItsOwnGroupWaitsForTheGroupAndStopsItAll() throws Exception {
        // a setsid that takes half a second to start: for that long the group does not exist yet
        Path setsid = Files.isExecutable(Path.of("/usr/bin/setsid")) ? Path.of("/usr/bin/setsid") : Path.of("/bin/setsid");
        Path slowSetsid = Files.writeString(temp.resolve("slow-setsid"),
                "#!/bin/sh\nsleep 0.5\nexec " + setsid + " \"$@\"\n");
        slowSetsid.toFile().setExecutable(true);
        LocalProcessRunner runner = new LocalProcessRunner(tasks, Duration.ofSeconds(60),
                Optional.of(slowSetsid));
        RunningProcess process = start(runner, "(" + sleep + " 300 &); " + sleep + " 300");

        process.terminate();

        // the grace is far longer than this wait: only the TERM, sent once the group exists, can pass
        assertThat(process.exit().toCompletableFuture().get(20, SECONDS).exitCode()).isEqualTo(143);
        assertThat(Processes.livingWith(marker)).isEmpty();
    }

    @Test
    void terminateTwiceAndAfterTheEndChangesNothing() throws Exception {
        LocalProcessRunner runner = new LocalProcessRunner(tasks, Duration.ofSeconds(1));
        RunningProcess process = start(runner, sleep + " 300");
        assertThat(Eventually.holds(SETTLE, () -> sleepsRunning() == 1)).isTrue();

        process.terminate();
        process.terminate();
        ProcessExit exit = process.exit().toCompletableFuture().get(30, SECONDS);
        process.terminate();

        assertThat(exit.exitCode()).isEqualTo(143);
        assertThat(process.exit().toCompletableFuture().get(1, SECONDS)).isEqualTo(exit);
    }

    @Test
    void theExitOfAStartedProcessCannotBeCompletedByACaller() {
        LocalProcessRunner runner = new LocalProcessRunner(tasks);
        RunningProcess process = start(runner, sleep + " 300");

        process.exit().toCompletableFuture().complete(new ProcessExit(0, "", ""));

        assertThat(process.exit().toCompletableFuture()).isNotDone();
    }

    @Test
    void withoutSetsidTerminateStopsTheWrapperAndItsDescendants() throws Exception {
        LocalProcessRunner runner = new LocalProcessRunner(tasks, Duration.ofSeconds(5),
                Optional.empty());
        RunningProcess process = start(runner, sleep + " 300 & " + sleep + " 300");
        assertThat(Eventually.holds(SETTLE, () -> sleepsRunning() == 2)).isTrue();
        // without a group of its own, the wrapper shares this JVM's
        assertThat(Processes.processGroupOf(process.ref().pid()))
                .isEqualTo(Processes.processGroupOf(ProcessHandle.current().pid()));

        process.terminate();

        assertThat(process.exit().toCompletableFuture().get(30, SECONDS).exitCode()).isEqualTo(143);
        assertThat(Eventually.holds(SETTLE, () -> Processes.livingWith(marker).isEmpty()))
                .as("no process left: %s", Processes.livingWith(marker)).isTrue();
    }

    @Test
    void withoutSetsidADoubleForkedGrandchildSurvivesTerminate() throws Exception {
        // the documented weakness of the fallback, and the reason for the process group
        LocalProcessRunner runner = new LocalProcessRunner(tasks, Duration.ofSeconds(1),
                Optional.empty());
        RunningProcess process = start(runner, "(" + sleep + " 300 &); " + sleep + " 300");
        assertThat(Eventually.holds(SETTLE, () -> sleepsRunning() == 2)).isTrue();

        process.terminate();

        process.exit().toCompletableFuture().get(30, SECONDS);
        Thread.sleep(1500);
        assertThat(sleepsRunning()).isEqualTo(1);
        destroyWhatCarriesTheMarker();
    }

    @Test
    void withoutSetsidACommandStillRunsAndRecordsItsStatus() throws Exception {
        LocalProcessRunner runner = new LocalProcessRunner(tasks, Duration.ofSeconds(5),
                Optional.empty());
        TaskId id = LocalProcessRunnerTest.newId();

        ProcessExit exit = runner.start(id, ProcessSpec.of("echo hello; exit 2", work))
                .exit().toCompletableFuture().get(30, SECONDS);

        assertThat(exit).usingRecursiveComparison().ignoringFields("endedAt")
                .isEqualTo(new ProcessExit(2, "hello\n", ""));
        assertThat(Files.readString(tasks.resolve(id + ".exit"))).isEqualTo("2\n");
    }
}
