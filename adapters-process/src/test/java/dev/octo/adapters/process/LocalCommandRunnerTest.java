package dev.octo.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.octo.application.port.out.CommandRunner.CommandResult;
import dev.octo.application.port.out.ProcessStartException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCommandRunnerTest {

    private static final Duration A_MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path directory;

    private final LocalCommandRunner runner = new LocalCommandRunner();

    @Test
    void aCommandRunsInTheDirectoryWithItsOutputAndExitCode() throws Exception {
        CommandResult result = runner.run(directory, "pwd; echo oops >&2; exit 3", A_MINUTE, 4096);

        assertThat(result.exitCode()).hasValue(3);
        assertThat(result.output()).isEqualTo(directory.toRealPath() + "\noops\n");
        assertThat(result.omittedBytes()).isZero();
    }

    @Test
    void aLongOutputKeepsItsStartAndItsEnd() throws Exception {
        CommandResult result = runner.run(directory, "seq 1 100000", A_MINUTE, 40);

        assertThat(result.exitCode()).hasValue(0);
        assertThat(result.output()).startsWith("1\n2\n3\n4\n5\n").endsWith("99999\n100000\n")
                .contains(" bytes left out ...]");
        assertThat(result.omittedBytes()).isEqualTo(588_895 - 40);
    }

    @Test
    void aCommandPastItsTimeIsKilledWithEverythingItStarted() throws Exception {
        Path sleep = Processes.markedSleep(directory, "cmdtimeout");

        CommandResult result = runner.run(directory, sleep + " 300 & " + sleep + " 300; echo never",
                Duration.ofMillis(300), 4096);

        assertThat(result.timedOut()).isTrue();
        assertThat(result.output()).doesNotContain("never");
        assertThat(Processes.livingWith("sleep-cmdtimeout")).isEmpty();
    }

    @Test
    void whatACommandLeftRunningInItsGroupIsKilledWhenItEnds() throws Exception {
        Path sleep = Processes.markedSleep(directory, "cmdleftover");

        CommandResult result = runner.run(directory, sleep + " 300 >/dev/null 2>&1 & echo started", A_MINUTE, 4096);

        assertThat(result.exitCode()).hasValue(0);
        assertThat(result.output()).isEqualTo("started\n");
        assertThat(Processes.livingWith("sleep-cmdleftover")).isEmpty();
    }

    @Test
    void anInterruptKillsTheCommandAndItsChildren() throws Exception {
        Path sleep = Processes.markedSleep(directory, "cmdinterrupt");
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                runner.run(directory, sleep + " 300 & " + sleep + " 300", A_MINUTE, 4096);
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(e);
            }
        });
        awaitRunning("sleep-cmdinterrupt", 2);

        caller.interrupt();

        assertThat(thrown.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(Processes.livingWith("sleep-cmdinterrupt")).isEmpty();
    }

    @Test
    void aMissingDirectoryIsSaid() {
        assertThatExceptionOfType(ProcessStartException.class)
                .isThrownBy(() -> runner.run(directory.resolve("gone"), "true", A_MINUTE, 4096))
                .withMessageContaining("is not a directory");
    }

    private static void awaitRunning(String marker, int count) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Processes.livingWith(marker).size() < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not " + count + " processes of " + marker + ": " + Processes.livingWith(marker));
            }
            Thread.sleep(10);
        }
    }
}
