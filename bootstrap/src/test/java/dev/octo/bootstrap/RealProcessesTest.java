package dev.octo.bootstrap;

import dev.octo.application.fakes.FakeAgentTranscripts;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.adapters.cli.JLineConsole;
import dev.octo.adapters.llm.UnconfiguredSupervisorChat;
import dev.octo.application.fakes.Eventually;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.service.CommandInterpreter;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.ClaudeCommandRule;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker pool, timeouts and output handling with real processes, real files and the real store. */
class RealProcessesTest {

    @TempDir
    Path folder;

    @Test
    void neverMoreThanTheConfiguredNumberOfProcessesRunAtOnce() throws Exception {
        Path journal = folder.resolve("journal");
        try (TaskEngine engine = CoreOnDisk.engine(folder.resolve(".octo"), 2)) {
            engine.start();
            List<TaskId> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                // each process writes its own start and end; appends of a short line are atomic
                ids.add(dispatched(engine, "echo start >> " + journal + "; sleep 0.3; echo end >> " + journal));
            }
            assertThat(engine.awaitAllSettled(Duration.ofSeconds(60))).isTrue();
            for (TaskId id : ids) {
                assertThat(engine.find(id).orElseThrow().status()).isEqualTo(TaskStatus.COMPLETED);
            }
        }
        List<String> lines = Files.readAllLines(journal);
        assertThat(lines).hasSize(20);
        int running = 0;
        int most = 0;
        for (String line : lines) {
            running += line.equals("start") ? 1 : -1;
            most = Math.max(most, running);
        }
        assertThat(most).as("processes running at once").isEqualTo(2);
    }

    @Test
    void theClaudeArgumentsReachTheRealProcessWhileTheTaskKeepsTheCommandAsTyped() throws Exception {
        Path bin = Files.createDirectories(folder.resolve("bin"));
        Path claude = Files.writeString(bin.resolve("claude"), "#!/bin/sh\necho \"$@\"\n");
        Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TaskEngine engine = CoreOnDisk.engine(folder.resolve(".octo"), 2, new ClaudeCommandRule("--x y"))) {
            engine.start();
            TaskOutcome outcome = engine.dispatch(new DispatchTask.Process("claude -p hi", Optional.empty(),
                    Optional.empty(), Map.of("PATH", bin + ":" + System.getenv("PATH"))));
            TaskId id = ((TaskOutcome.Done) outcome).task().id();
            Task done = engine.awaitFinal(id, Duration.ofSeconds(30)).orElseThrow();

            assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(done.result()).contains("--x y -p hi\n");
            assertThat(((ProcessSpec) done.spec()).command()).isEqualTo("claude -p hi");
        }
    }

    @Test
    void aCommandPastItsTimeoutFailsAsTimedOutWithItsWholeGroupGone() throws Exception {
        String marker = "octo-timeout-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (TaskEngine engine = CoreOnDisk.engine(folder.resolve(".octo"), 2)) {
            engine.start();
            Instant start = Instant.now();
            TaskOutcome outcome = engine.dispatch(DispatchTask.Process.of(
                    "sh -c 'sleep 30; :' " + marker + " & sleep 30", Optional.of(Duration.ofSeconds(1))));
            TaskId id = ((TaskOutcome.Done) outcome).task().id();
            Task done = engine.awaitFinal(id, Duration.ofSeconds(20)).orElseThrow();

            assertThat(done.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(done.error()).contains("Timed out after 1 s");
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
            assertThat(ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains(marker))
                    .filter(ProcessHandle::isAlive)
                    .toList()).isEmpty();
        }
    }

    @Test
    void fiveHundredMegabytesOfOutputPassInAJvmWithASixtyFourMegabyteHeap() throws Exception {
        long bytes = 500_000_000L;
        Path octoDir = folder.resolve(".octo");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process probe = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                BigOutputProbe.class.getName(), octoDir.toString(), Long.toString(bytes))
                .redirectErrorStream(true)
                .start();
        String output = new String(probe.getInputStream().readAllBytes());
        assertThat(probe.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(probe.exitValue()).as(output).isZero();
        assertThat(output).contains("status=completed", "result-length=65536", "result-ends=true");
        String id = output.lines().filter(l -> l.startsWith("id=")).findFirst().orElseThrow().substring(3);
        // the bytes, a newline, and "the-end\n"
        assertThat(Files.size(octoDir.resolve("tasks/" + id + ".out.log"))).isEqualTo(bytes + 1 + 8);
    }

    @Test
    void choosingStopOnLeavingLeavesNothingRunningAndStartsNoWaitingTask() throws Exception {
        String marker = "octo-leaving-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path ran = folder.resolve("ran");
        PipedOutputStream keys = new PipedOutputStream();
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (TaskEngine engine = CoreOnDisk.engine(folder.resolve(".octo"), 1);
                ExternalTerminal terminal = new ExternalTerminal("test", "xterm-256color",
                        new PipedInputStream(keys, 1 << 16), screen, UTF_8)) {
            JLineConsole console = new JLineConsole(terminal,
                    CommandInterpreter.over(engine, new FakeAgentTranscripts(), new UnconfiguredSupervisorChat(), Clock.systemUTC()), engine, engine,
                    engine, folder.resolve("history"), false);
            engine.register(console);
            engine.start();
            TaskId running = dispatched(engine, "sh -c 'sleep 300 & sleep 301'; : " + marker);
            TaskId waiting = dispatched(engine, "touch " + ran + "; sleep 303; : " + marker);
            Eventually.await(Duration.ofSeconds(20), () -> Processes.withMarkerAndDescendants(marker).size() >= 3);
            Thread thread = Thread.ofPlatform().start(console::run);

            keys.write(4); // Ctrl-D on the empty prompt: leave
            keys.flush();
            Eventually.await(Duration.ofSeconds(20), () -> screen.toString(UTF_8).contains("[L/s] "));
            assertThat(screen.toString(UTF_8)).contains("1 process task still running and 1 task waiting to start.");
            keys.write("s\r".getBytes(UTF_8));
            keys.flush();
            thread.join(Duration.ofSeconds(20));
            assertThat(thread.isAlive()).isFalse();
            // as Octo does before it closes the engine
            engine.holdQueue();
            assertThat(engine.awaitCancelledStopped(Duration.ofSeconds(20))).isTrue();

            assertThat(engine.find(running).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(engine.find(waiting).orElseThrow().status()).isEqualTo(TaskStatus.DISPATCHED);
            assertThat(engine.list(Optional.of(TaskStatus.RUNNING))).isEmpty();
            // a waiting task started in the freed worker would show within moments
            assertThat(Eventually.staysFalse(Duration.ofSeconds(2), () -> Files.exists(ran))).isTrue();
            assertThat(Processes.withMarkerAndDescendants(marker)).noneMatch(Processes::isRunning);
        } finally {
            Processes.killAll(marker);
        }
    }

    private static TaskId dispatched(TaskEngine engine, String command) {
        TaskOutcome outcome = engine.dispatch(DispatchTask.Process.of(command));
        assertThat(outcome).isInstanceOf(TaskOutcome.Done.class);
        return ((TaskOutcome.Done) outcome).task().id();
    }
}
