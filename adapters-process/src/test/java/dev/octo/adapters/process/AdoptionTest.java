package dev.octo.adapters.process;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.port.out.ProcessExit;
import dev.octo.application.port.out.ProcessRunner.Adoption;
import dev.octo.application.port.out.RunningProcess;
import dev.octo.domain.ClaudeCommandRule;
import dev.octo.domain.ProcessRef;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.TaskId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A task outlives the Octo that started it, and a later Octo finds it again. */
class AdoptionTest extends MarkedProcessesTest {

    private static final Duration SETTLE = Duration.ofSeconds(15);

    /** Starts {@code command} from an Octo in another JVM, then kills that JVM with SIGKILL. */
    private ProcessRef startFromAJvmThatDies(TaskId id, String command) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process octo = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StartAndDie.class.getName(), tasks.toString(), id.value(), work.toString(), command)
                .redirectError(temp.resolve("child-jvm.err").toFile())
                .start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(octo.getInputStream(), StandardCharsets.UTF_8))) {
            line = out.readLine();
        } finally {
            octo.destroyForcibly();
            octo.waitFor();
        }
        assertThat(line).as("the child JVM's report; its stderr: %s", Files.readString(temp.resolve("child-jvm.err")))
                .isNotNull();
        String[] words = line.split(" ");
        ProcessRef ref = new ProcessRef(Long.parseLong(words[0]), Instant.parse(words[1]));
        assertThat(octo.isAlive()).isFalse();
        return ref;
    }

    private LocalProcessRunner laterOcto() {
        return new LocalProcessRunner(tasks, ClaudeCommandRule.NONE, Duration.ofSeconds(5));
    }

    private RunningProcess stillRunning(Adoption adoption) {
        assertThat(adoption).isInstanceOf(Adoption.StillRunning.class);
        return watched(((Adoption.StillRunning) adoption).process());
    }

    @Test
    void theCommandFinishesAndRecordsItsStatusAfterItsOctoWasKilled() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();

        ProcessRef ref = startFromAJvmThatDies(id, "sleep 2; echo done");

        // the status is written in place, so it is read once the wrapper has ended, as an Octo reads it
        assertThat(Processes.eventually(SETTLE, () -> ProcessHandle.of(ref.pid()).map(ProcessTable::isRunning).orElse(false) == false))
                .isTrue();
        assertThat(Files.readString(tasks.resolve(id + ".exit"))).isEqualTo("0\n");
        assertThat(tasks.resolve(id + ".out.log")).hasContent("done");
        assertThat(laterOcto().adopt(id, Optional.of(ref))).isEqualTo(new Adoption.Ended(new ProcessExit(0, "done\n", "")));
    }

    @Test
    void anotherJvmReadsTheSameStartInstantWithinTheTolerance() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();

        ProcessRef ref = startFromAJvmThatDies(id, sleep + " 300");

        Instant seenHere = ProcessHandle.of(ref.pid()).orElseThrow().info().startInstant().orElseThrow();
        System.out.println("start instant seen by the starting JVM " + ref.processStart() + ", by this one "
                + seenHere + ": " + Duration.between(ref.processStart(), seenHere).toMillis() + " ms apart");
        assertThat(ProcessTable.sameStart(seenHere, ref.processStart())).isTrue();
        stillRunning(laterOcto().adopt(id, Optional.of(ref)));
    }

    @Test
    void aCommandStillRunningIsAdoptedAndItsExitSeenLater() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        ProcessRef ref = startFromAJvmThatDies(id, "sleep 3; echo done");

        RunningProcess process = stillRunning(laterOcto().adopt(id, Optional.of(ref)));

        assertThat(process.ref()).isEqualTo(ref);
        assertThat(process.exit().toCompletableFuture().get(30, SECONDS)).isEqualTo(new ProcessExit(0, "done\n", ""));
    }

    @Test
    void terminatingAnAdoptedCommandStopsItsWholeGroup() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        ProcessRef ref = startFromAJvmThatDies(id, sleep + " 300 & (" + sleep + " 300 &); " + sleep + " 300");
        assertThat(Processes.eventually(SETTLE, () -> Processes.running(sleep) == 3)).isTrue();
        RunningProcess process = stillRunning(laterOcto().adopt(id, Optional.of(ref)));

        process.terminate();

        assertThat(process.exit().toCompletableFuture().get(30, SECONDS).exitCode()).isEqualTo(143);
        assertThat(Processes.eventually(SETTLE, () -> Processes.livingWith(marker).isEmpty()))
                .as("no process left: %s", Processes.livingWith(marker)).isTrue();
    }

    @Test
    void withoutARecordedRefTheCommandIsFoundByItsMarker() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        RunningProcess original = new LocalProcessRunner(tasks, ClaudeCommandRule.NONE)
                .start(id, ProcessSpec.of(sleep + " 300", work));
        watched(original);

        RunningProcess adopted = stillRunning(laterOcto().adopt(id, Optional.empty()));

        assertThat(adopted.ref()).isEqualTo(original.ref());
        adopted.terminate();
        assertThat(adopted.exit().toCompletableFuture().get(30, SECONDS).exitCode()).isEqualTo(143);
        assertThat(original.exit().toCompletableFuture().get(30, SECONDS).exitCode()).isEqualTo(143);
    }

    @Test
    void aPidNowUsedByAProcessThatStartedAtAnotherTimeIsNotTheTasks() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        ProcessRef reused = new ProcessRef(ProcessHandle.current().pid(), Instant.parse("2001-02-03T04:05:06Z"));

        assertThat(laterOcto().adopt(id, Optional.of(reused))).isEqualTo(new Adoption.Gone());

        Files.createDirectories(tasks);
        Files.writeString(tasks.resolve(id + ".exit"), "1\n");
        Files.writeString(tasks.resolve(id + ".err.log"), "failed\n");
        assertThat(laterOcto().adopt(id, Optional.of(reused)))
                .isEqualTo(new Adoption.Ended(new ProcessExit(1, "", "failed\n")));
    }

    @Test
    void anEmptyOrUnreadableExitFileIsNoRecordedStatus() throws Exception {
        TaskId empty = LocalProcessRunnerTest.newId();
        TaskId garbled = LocalProcessRunnerTest.newId();
        Files.createDirectories(tasks);
        // a wrapper killed between opening its exit file and writing to it leaves it empty
        Files.writeString(tasks.resolve(empty + ".exit"), "");
        Files.writeString(tasks.resolve(garbled + ".exit"), "x\n");

        assertThat(laterOcto().adopt(empty, Optional.empty())).isEqualTo(new Adoption.Gone());
        assertThat(laterOcto().adopt(garbled, Optional.empty())).isEqualTo(new Adoption.Gone());
    }

    @Test
    void aLiveProcessWithTheRecordedStartButNotTheTasksMarkerIsNotTheTasks() {
        ProcessHandle self = ProcessHandle.current();
        ProcessRef ref = new ProcessRef(self.pid(), self.info().startInstant().orElseThrow());

        assertThat(laterOcto().adopt(LocalProcessRunnerTest.newId(), Optional.of(ref))).isEqualTo(new Adoption.Gone());
    }

    @Test
    void noProcessAndNoExitFileIsGone() {
        TaskId id = LocalProcessRunnerTest.newId();

        assertThat(laterOcto().adopt(id, Optional.empty())).isEqualTo(new Adoption.Gone());
        assertThat(laterOcto().adopt(id, Optional.of(new ProcessRef(999_999_999L, Instant.now()))))
                .isEqualTo(new Adoption.Gone());
    }

    @Test
    void aWrapperKilledBeforeItRecordedAStatusEndsAsKilled() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        ProcessRef ref = startFromAJvmThatDies(id, "echo partial; echo oops >&2; " + sleep + " 300");
        RunningProcess process = stillRunning(laterOcto().adopt(id, Optional.of(ref)));

        new ProcessBuilder("/bin/sh", "-c", "kill -s KILL -- -" + ref.pid()).start().waitFor();

        ProcessExit exit = process.exit().toCompletableFuture().get(30, SECONDS);
        assertThat(exit.exitCode()).isEqualTo(LocalRunningProcess.UNRECORDED_ADOPTED_EXIT);
        assertThat(exit.stdoutTail()).isEqualTo("partial\n");
        assertThat(exit.stderrTail()).isEqualTo("oops\n" + TaskFiles.UNRECORDED_NOTE);
        assertThat(laterOcto().adopt(id, Optional.of(ref))).isEqualTo(new Adoption.Gone());
    }
}
