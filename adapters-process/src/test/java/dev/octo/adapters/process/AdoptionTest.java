package dev.octo.adapters.process;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.Eventually;
import dev.octo.application.port.out.ProcessExit;
import dev.octo.application.port.out.ProcessRunner.Adoption;
import dev.octo.application.port.out.RunningProcess;
import dev.octo.domain.ProcessRef;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.TaskId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A task outlives the Octo that started it, and a later Octo finds it again. */
class AdoptionTest extends MarkedProcessesTest {

    private static final Duration SETTLE = Duration.ofSeconds(15);

    /** Starts {@code command} from an Octo in another JVM, then kills that JVM with SIGKILL. */
    private ProcessRef startFromAJvmThatDies(TaskId id, String command) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process octo = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
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
        return new LocalProcessRunner(tasks, Duration.ofSeconds(5));
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
        assertThat(Eventually.holds(SETTLE, () -> ProcessHandle.of(ref.pid()).map(ProcessTable::isRunning).orElse(false) == false))
                .isTrue();
        assertThat(Files.readString(tasks.resolve(id + ".exit"))).isEqualTo("0\n");
        assertThat(tasks.resolve(id + ".out.log")).hasContent("done");
        Instant recorded = Files.getLastModifiedTime(tasks.resolve(id + ".exit")).toInstant();
        Adoption adoption = laterOcto().adopt(id, Optional.of(ref));
        assertThat(adoption).isInstanceOfSatisfying(Adoption.Ended.class, ended -> {
            assertThat(ended.exit()).isEqualTo(new ProcessExit(0, "done\n", "", Optional.of(recorded)));
            // the logs' creation, as the spawn made them: the start that the dead Octo did not write
            assertThat(ended.commandStarted()).hasValueSatisfying(started -> assertThat(started)
                    .isBetween(ref.processStart().minus(ProcessTable.START_TOLERANCE), recorded));
        });
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
        assertThat(process.exit().toCompletableFuture().get(30, SECONDS)).usingRecursiveComparison()
                .ignoringFields("endedAt").isEqualTo(new ProcessExit(0, "done\n", ""));
    }

    @Test
    void aCommandThatReplacedItsShellIsAdoptedByItsRecordedProcessAndStoppedWithItsGroup() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        // exec takes the marker off the command line: the recorded pid, its start and its group remain
        ProcessRef ref = startFromAJvmThatDies(id, "exec " + sleep + " 300");
        assertThat(Eventually.holds(SETTLE, () -> Processes.running(sleep) == 1)).isTrue();

        RunningProcess process = stillRunning(laterOcto().adopt(id, Optional.of(ref)));
        process.terminate();

        assertThat(process.ref()).isEqualTo(ref);
        assertThat(process.exit().toCompletableFuture().get(30, SECONDS).exitCode()).isEqualTo(143);
        assertThat(Eventually.holds(SETTLE, () -> Processes.running(sleep) == 0)).isTrue();
    }

    @Test
    void terminatingAnAdoptedCommandStopsItsWholeGroup() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        ProcessRef ref = startFromAJvmThatDies(id, sleep + " 300 & (" + sleep + " 300 &); " + sleep + " 300");
        assertThat(Eventually.holds(SETTLE, () -> Processes.running(sleep) == 3)).isTrue();
        RunningProcess process = stillRunning(laterOcto().adopt(id, Optional.of(ref)));

        process.terminate();

        assertThat(process.exit().toCompletableFuture().get(30, SECONDS).exitCode()).isEqualTo(143);
        assertThat(Eventually.holds(SETTLE, () -> Processes.livingWith(marker).isEmpty()))
                .as("no process left: %s", Processes.livingWith(marker)).isTrue();
    }

    @Test
    void withoutARecordedRefTheCommandIsFoundByItsMarker() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        RunningProcess original = new LocalProcessRunner(tasks)
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

        assertThat(laterOcto().adopt(id, Optional.of(reused))).isEqualTo(new Adoption.NeverStarted());

        Files.createDirectories(tasks);
        Files.writeString(tasks.resolve(id + ".exit"), "1\n");
        Files.writeString(tasks.resolve(id + ".err.log"), "failed\n");
        assertThat(laterOcto().adopt(id, Optional.of(reused))).usingRecursiveComparison()
                .ignoringFields("exit.endedAt", "commandStarted")
                .isEqualTo(new Adoption.Ended(new ProcessExit(1, "", "failed\n")));
    }

    @Test
    void aStatusRecordedWhileNobodyWatchedEndsTheCommandWhenItWasRecorded() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        Files.createDirectories(tasks);
        Files.writeString(tasks.resolve(id + ".out.log"), "x\n");
        Files.writeString(tasks.resolve(id + ".exit"), "0\n");
        Instant recorded = Instant.parse("2026-03-04T05:06:07Z");
        Files.setLastModifiedTime(tasks.resolve(id + ".exit"), FileTime.from(recorded));

        Adoption adoption = laterOcto().adopt(id, Optional.of(new ProcessRef(999_999_999L, Instant.now())));

        Instant logged = Files.readAttributes(tasks.resolve(id + ".out.log"), BasicFileAttributes.class)
                .creationTime().toInstant();
        assertThat(adoption).isEqualTo(new Adoption.Ended(new ProcessExit(0, "x\n", "", Optional.of(recorded)),
                Optional.of(logged)));
    }

    @Test
    void anEmptyExitFileIsNoRecordedStatus() throws Exception {
        TaskId empty = LocalProcessRunnerTest.newId();
        Files.createDirectories(tasks);
        // a wrapper killed between opening its exit file and writing to it leaves it empty
        Files.writeString(tasks.resolve(empty + ".exit"), "");

        assertThat(laterOcto().adopt(empty, Optional.empty())).isEqualTo(new Adoption.Gone());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-3", "256", "x", "0x1", "3 4", "\u001b[2J"})
    void anExitFileHoldingNoStatusFrom0To255IsNoRecordedStatusAndNamed(String text) throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        Files.createDirectories(tasks);
        Path exit = tasks.resolve(id + ".exit");
        Files.writeString(exit, text + "\n");

        Adoption adoption = laterOcto().adopt(id, Optional.empty());

        assertThat(adoption).isInstanceOf(Adoption.Gone.class);
        assertThat(((Adoption.Gone) adoption).problem()).hasValueSatisfying(problem -> assertThat(problem)
                .startsWith("Exit file " + exit + " holds '").endsWith("', which is no exit status from 0 to 255")
                .doesNotContain("\u001b"));
        // a small regular file harms nobody where it is
        assertThat(exit).hasContent(text);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoALinkToADeviceADirectoryOrABigFileAtTheExitFilesPlaceIsMovedAsideUnread() throws Exception {
        Files.createDirectories(tasks);
        TaskId fifo = LocalProcessRunnerTest.newId();
        assertThat(new ProcessBuilder("mkfifo", tasks.resolve(fifo + ".exit").toString()).start().waitFor()).isZero();
        TaskId link = LocalProcessRunnerTest.newId();
        Files.createSymbolicLink(tasks.resolve(link + ".exit"), Path.of("/dev/zero"));
        TaskId directory = LocalProcessRunnerTest.newId();
        Files.createDirectories(tasks.resolve(directory + ".exit"));
        TaskId big = LocalProcessRunnerTest.newId();
        Files.write(tasks.resolve(big + ".exit"), new byte[TaskFiles.MAX_EXIT_FILE_BYTES + 1]);

        for (TaskId id : List.of(fifo, link, directory, big)) {
            Adoption adoption = laterOcto().adopt(id, Optional.empty());

            assertThat(adoption).as("task %s", id).isInstanceOf(Adoption.Gone.class);
            assertThat(((Adoption.Gone) adoption).problem()).hasValueSatisfying(problem -> assertThat(problem)
                    .startsWith("Exit file " + tasks.resolve(id + ".exit") + " ")
                    .endsWith("; moved it to " + id + ".exit.corrupt"));
            assertThat(tasks.resolve(id + ".exit")).doesNotExist();
            assertThat(Files.exists(tasks.resolve(id + ".exit.corrupt"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        }
        assertThat(Files.isSymbolicLink(tasks.resolve(link + ".exit.corrupt"))).isTrue();
    }

    @Test
    void aLiveProcessWithTheRecordedStartButNotTheTasksMarkerIsNotTheTasks() {
        ProcessHandle self = ProcessHandle.current();
        ProcessRef ref = new ProcessRef(self.pid(), self.info().startInstant().orElseThrow());

        assertThat(laterOcto().adopt(LocalProcessRunnerTest.newId(), Optional.of(ref)))
                .isEqualTo(new Adoption.NeverStarted());
    }

    @Test
    void noProcessNoOutputLogAndNoExitFileIsACommandThatNeverRan() {
        TaskId id = LocalProcessRunnerTest.newId();

        assertThat(laterOcto().adopt(id, Optional.empty())).isEqualTo(new Adoption.NeverStarted());
        assertThat(laterOcto().adopt(id, Optional.of(new ProcessRef(999_999_999L, Instant.now()))))
                .isEqualTo(new Adoption.NeverStarted());
    }

    @Test
    void noProcessAndNoExitFileButAnOutputLogIsACommandThatRanAndIsGone() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        Files.createDirectories(tasks);
        Files.createFile(tasks.resolve(id + ".out.log"));

        assertThat(laterOcto().adopt(id, Optional.of(new ProcessRef(999_999_999L, Instant.now()))))
                .isEqualTo(new Adoption.Gone());
    }

    @Test
    void aWrapperStartedThroughSetsidThatHasNotRunItsCommandYetIsAdoptedNotStartedAgain() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        String taskMarker = TaskFiles.of(tasks, id).marker();
        // as a wrapper that runs, found by its marker, but has not opened its logs yet
        // "; :" keeps the shell from replacing itself with the sleep, which would drop the marker
        Process wrapper = new ProcessBuilder("/bin/sh", "-c", sleep + " 300; :", taskMarker).start();
        try {
            assertThat(Eventually.holds(SETTLE, () -> !Processes.livingWith(taskMarker).isEmpty())).isTrue();

            // only a shell started through setsid runs before its logs are open
            Path setsid = Files.isExecutable(Path.of("/usr/bin/setsid")) ? Path.of("/usr/bin/setsid") : Path.of("/bin/setsid");
            LocalProcessRunner laterOcto = new LocalProcessRunner(tasks, Duration.ofSeconds(5), Optional.of(setsid));
            Adoption byMarker = laterOcto.adopt(id, Optional.empty());
            Adoption despiteAnotherRef = laterOcto.adopt(id, Optional.of(new ProcessRef(999_999_999L, Instant.now())));

            assertThat(byMarker).isInstanceOf(Adoption.StillRunning.class);
            assertThat(((Adoption.StillRunning) byMarker).process().ref().pid()).isEqualTo(wrapper.pid());
            assertThat(despiteAnotherRef).isInstanceOf(Adoption.StillRunning.class);
            assertThat(((Adoption.StillRunning) despiteAnotherRef).process().ref().pid()).isEqualTo(wrapper.pid());
        } finally {
            wrapper.destroyForcibly();
            wrapper.waitFor();
        }
    }

    @Test
    void aWrapperThatCannotWriteItsStatusLeavesAWriterThatALaterOctoAdoptsForTheStatus() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        Path exitFile = tasks.resolve(id + ".exit");
        String taskMarker = TaskFiles.of(tasks, id).marker();
        // the command waits for the exit file's place to be taken, so that the start cannot clear it
        ProcessRef ref = startFromAJvmThatDies(id, "while [ ! -e go ]; do sleep 0.05; done; echo done");
        try {
            Files.createDirectories(exitFile);
            Files.createFile(work.resolve("go"));

            assertThat(Eventually.holds(SETTLE, () -> !ProcessHandle.of(ref.pid()).map(ProcessTable::isRunning)
                    .orElse(false))).as("the wrapper ended").isTrue();
            // a few tries later, a process of the task still tries to write the status
            Thread.sleep(2_500);
            assertThat(Processes.livingWith(taskMarker)).isNotEmpty();
            assertThat(exitFile).isDirectory();

            Adoption adoption = laterOcto().adopt(id, Optional.of(ref));

            // the writer is adopted, or it wrote the status (its place was freed) before it was found
            ProcessExit exit = switch (adoption) {
                case Adoption.StillRunning still -> watched(still.process()).exit().toCompletableFuture().get(30, SECONDS);
                case Adoption.Ended ended -> ended.exit();
                case Adoption.NeverStarted neverStarted -> throw new AssertionError(adoption);
                case Adoption.Gone gone -> throw new AssertionError(adoption);
            };
            assertThat(exit.exitCode()).isZero();
            assertThat(exit.stdoutTail()).isEqualTo("done\n");
            assertThat(exitFile).hasContent("0");
            assertThat(Eventually.holds(SETTLE, () -> Processes.livingWith(taskMarker).isEmpty())).isTrue();
        } finally {
            ProcessHandle.allProcesses()
                    .filter(process -> process.info().commandLine().map(line -> line.contains(taskMarker)).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aWrapperKilledBeforeItRecordedAStatusEndsAsKilled() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        ProcessRef ref = startFromAJvmThatDies(id, "echo partial; echo oops >&2; " + sleep + " 300");
        assertThat(Eventually.holds(SETTLE, () -> Processes.running(sleep) == 1)).isTrue();
        RunningProcess process = stillRunning(laterOcto().adopt(id, Optional.of(ref)));

        new ProcessBuilder("/bin/sh", "-c", "kill -s KILL -- -" + ref.pid()).start().waitFor();

        ProcessExit exit = process.exit().toCompletableFuture().get(30, SECONDS);
        assertThat(exit.exitCode()).isEqualTo(LocalRunningProcess.UNRECORDED_ADOPTED_EXIT);
        assertThat(exit.stdoutTail()).isEqualTo("partial\n");
        assertThat(exit.stderrTail()).isEqualTo("oops\n" + TaskFiles.UNRECORDED_NOTE);
        assertThat(laterOcto().adopt(id, Optional.of(ref))).isEqualTo(new Adoption.Gone());
    }
}
