package dev.octo.adapters.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octo.application.fakes.Eventually;
import dev.octo.application.port.out.ProcessExit;
import dev.octo.application.port.out.ProcessStartException;
import dev.octo.application.port.out.RunningProcess;
import dev.octo.application.port.out.StoreException;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.TaskId;
import dev.octo.domain.Timeout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalProcessRunnerTest {

    @TempDir
    Path temp;

    private Path tasks;
    private Path work;
    private final List<RunningProcess> started = new ArrayList<>();

    @BeforeEach
    void folders() throws IOException {
        tasks = temp.resolve("tasks");
        work = Files.createDirectories(temp.resolve("work"));
    }

    @AfterEach
    void stopWhatIsLeft() {
        started.forEach(RunningProcess::terminate);
    }

    private RunningProcess start(LocalProcessRunner runner, TaskId id, ProcessSpec spec) {
        RunningProcess process = runner.start(id, spec);
        started.add(process);
        return process;
    }

    private ProcessExit run(String command) throws Exception {
        return run(ProcessSpec.of(command, work));
    }

    private ProcessExit run(ProcessSpec spec) throws Exception {
        LocalProcessRunner runner = new LocalProcessRunner(tasks);
        return start(runner, newId(), spec).exit().toCompletableFuture().get(60, SECONDS);
    }

    static TaskId newId() {
        return TaskId.random(ThreadLocalRandom.current(), id -> false);
    }

    @Test
    void echoEndsWithCodeZeroAndItsOutput() throws Exception {
        ProcessExit exit = run("echo hello");

        assertThat(exit.exitCode()).isZero();
        assertThat(exit.stdoutTail()).isEqualTo("hello\n");
        assertThat(exit.stderrTail()).isEmpty();
    }

    @Test
    void aFailingCommandReportsItsCodeAndItsStderr() throws Exception {
        ProcessExit exit = run("echo partial; echo 'it broke' >&2; exit 3");

        assertThat(exit.exitCode()).isEqualTo(3);
        assertThat(exit.stdoutTail()).isEqualTo("partial\n");
        assertThat(exit.stderrTail()).isEqualTo("it broke\n");
    }

    @Test
    void theOutputGoesToLogFilesAndTheStatusToTheExitFile() throws Exception {
        TaskId id = newId();
        LocalProcessRunner runner = new LocalProcessRunner(tasks);

        start(runner, id, ProcessSpec.of("echo out; echo err >&2; exit 4", work)).exit().toCompletableFuture().get(60, SECONDS);

        assertThat(tasks.resolve(id + ".out.log")).hasContent("out");
        assertThat(tasks.resolve(id + ".err.log")).hasContent("err");
        assertThat(Files.readString(tasks.resolve(id + ".exit"))).isEqualTo("4\n");
        assertThat(tasks.resolve(id + ".exit.tmp")).doesNotExist();
    }

    @Test
    void theTaskEnvironmentIsLaidOverOctos() throws Exception {
        ProcessSpec spec = new ProcessSpec("printf '%s|%s' \"$OCTO_TEST_VALUE\" \"$PATH\"", work,
                Map.of("OCTO_TEST_VALUE", "from the task"), Timeout.NONE);

        ProcessExit exit = run(spec);

        assertThat(exit.stdoutTail()).isEqualTo("from the task|" + System.getenv("PATH"));
    }

    @Test
    void theCommandRunsInTheWorkingDirectory() throws Exception {
        ProcessExit exit = run("pwd -P");

        assertThat(exit.stdoutTail()).isEqualTo(work.toRealPath() + "\n");
    }

    @Test
    void aMissingWorkingDirectoryIsRefusedWithItsName() {
        LocalProcessRunner runner = new LocalProcessRunner(tasks);
        Path missing = temp.resolve("no-such-folder");

        assertThatThrownBy(() -> runner.start(newId(), ProcessSpec.of("echo never", missing)))
                .isInstanceOf(ProcessStartException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void aWorkingDirectoryThatIsAFileIsRefused() throws IOException {
        LocalProcessRunner runner = new LocalProcessRunner(tasks);
        Path file = Files.writeString(temp.resolve("a-file"), "x");

        assertThatThrownBy(() -> runner.start(newId(), ProcessSpec.of("echo never", file)))
                .isInstanceOf(ProcessStartException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("is not a directory");
    }

    @Test
    void stdinIsEmptySoAReaderEndsAtOnce() throws Exception {
        ProcessExit exit = run("cat; wc -c; echo after");

        assertThat(exit.exitCode()).isZero();
        assertThat(exit.stdoutTail()).isEqualTo("0\nafter\n");
    }

    @Test
    void aClaudeCommandRunsAsItIsGiven() throws Exception {
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path claude = Files.writeString(bin.resolve("claude"), "#!/bin/sh\necho \"$@\"\n");
        Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessSpec spec = new ProcessSpec("claude -p hi", work,
                Map.of("PATH", bin + ":" + System.getenv("PATH")), Timeout.NONE);

        ProcessExit exit = run(spec);

        // the engine applies the claude rule before the command reaches any runner
        assertThat(exit.stdoutTail()).isEqualTo("-p hi\n");
    }

    @Test
    void aCommandIsPassedAsItIsWithItsQuotes() throws Exception {
        ProcessExit exit = run("printf '%s\\n' \"it's \\$HOME\" '\"quoted\"' $((1 + 2))");

        assertThat(exit.stdoutTail()).isEqualTo("it's $HOME\n\"quoted\"\n3\n");
    }

    @Test
    void theWrapperLeadsAProcessGroupOfItsOwn() throws Exception {
        String marker = "octotest" + newId();
        Path sleep = Processes.markedSleep(temp, marker);
        RunningProcess process = start(new LocalProcessRunner(tasks), newId(),
                ProcessSpec.of(sleep + " 300", work));
        long pid = process.ref().pid();

        // start returns while the wrapper may still be on its way to setsid
        assertThat(Eventually.holds(java.time.Duration.ofSeconds(10), () -> groupOf(pid) == pid)).isTrue();
        assertThat(Processes.processGroupOf(pid)).isNotEqualTo(Processes.processGroupOf(ProcessHandle.current().pid()));
        assertThat(Eventually.holds(java.time.Duration.ofSeconds(10), () -> !Processes.livingWith(marker).isEmpty()))
                .isTrue();
        for (String line : Processes.livingWith(marker)) {
            long member = Long.parseLong(line.substring(0, line.indexOf(' ')));
            assertThat(Processes.processGroupOf(member)).as(line).isEqualTo(pid);
        }
    }

    private static long groupOf(long pid) {
        try {
            return Processes.processGroupOf(pid);
        } catch (IOException gone) {
            return -1;
        }
    }

    @Test
    void theRefNamesTheWrapperAndTheInstantItStarted() {
        RunningProcess process = start(new LocalProcessRunner(tasks), newId(),
                ProcessSpec.of("sleep 30", work));

        ProcessHandle wrapper = ProcessHandle.of(process.ref().pid()).orElseThrow();
        assertThat(wrapper.info().startInstant()).contains(process.ref().processStart());
        assertThat(wrapper.parent().map(ProcessHandle::pid)).contains(ProcessHandle.current().pid());
    }

    @Test
    void aHugeOutputIsWrittenWholeAndItsTailIs64KiB() throws Exception {
        TaskId id = newId();
        LocalProcessRunner runner = new LocalProcessRunner(tasks);

        ProcessExit exit = start(runner, id, ProcessSpec.of("head -c 500000000 /dev/zero | tr '\\0' a", work))
                .exit().toCompletableFuture().get(300, SECONDS);

        assertThat(exit.exitCode()).isZero();
        assertThat(Files.size(tasks.resolve(id + ".out.log"))).isEqualTo(500_000_000L);
        assertThat(exit.stdoutTail()).hasSize(64 * 1024).matches("a+");
        // one line of 500 MB: the tail reads no more than its cap of 1 MiB
        assertThat(runner.outputTail(id, 3)).hasSize("stdout:\n".length() + 1024 * 1024 + 1).endsWith("aaa\n");
        Files.delete(tasks.resolve(id + ".out.log"));
    }

    @Test
    void bytesThatAreNotUtf8BecomeReplacementCharacters() throws Exception {
        ProcessExit exit = run("printf '\\377\\376abc'; printf '\\377' >&2");

        assertThat(exit.exitCode()).isZero();
        assertThat(exit.stdoutTail()).isEqualTo("\uFFFD\uFFFDabc");
        assertThat(exit.stderrTail()).isEqualTo("\uFFFD");
    }

    @Test
    void aTailCutInsideACharacterStartsAtTheNextWholeOne() throws Exception {
        // 50000 lines of "é\n" (3 bytes each) and "zz": the last 64 KiB start on the é's second byte
        ProcessExit exit = run("yes \"$(printf '\\303\\251')\" | head -n 50000; printf zz");

        assertThat(exit.exitCode()).isZero();
        assertThat(exit.stdoutTail())
                .doesNotContain("\uFFFD")
                .startsWith("\né\n")
                .endsWith("é\nzz");
        assertThat(exit.stdoutTail().getBytes(UTF_8)).hasSize(64 * 1024 - 1);
    }

    @Test
    void outputTailGivesTheLastLinesOfEachStreamUnderItsHeading() throws Exception {
        TaskId id = newId();
        LocalProcessRunner runner = new LocalProcessRunner(tasks);
        start(runner, id, ProcessSpec.of("seq 1 100000; seq 1 3 >&2", work)).exit().toCompletableFuture().get(60, SECONDS);

        assertThat(runner.outputTail(id, 4)).isEqualTo("stdout:\n99997\n99998\n99999\n100000\nstderr:\n1\n2\n3\n");
        assertThat(runner.outputTail(id, 1)).isEqualTo("stdout:\n100000\nstderr:\n3\n");
    }

    @Test
    void outputTailLeavesOutAStreamWithNothingInIt() throws Exception {
        TaskId id = newId();
        LocalProcessRunner runner = new LocalProcessRunner(tasks);
        start(runner, id, ProcessSpec.of("printf 'one\\ntwo\\nthree'", work)).exit().toCompletableFuture().get(60, SECONDS);

        assertThat(runner.outputTail(id, 2)).isEqualTo("stdout:\ntwo\nthree\n");
        assertThat(runner.outputTail(id, 10)).isEqualTo("stdout:\none\ntwo\nthree\n");
    }

    @Test
    void outputTailOfATaskWithoutOutputIsEmpty() throws Exception {
        TaskId id = newId();
        LocalProcessRunner runner = new LocalProcessRunner(tasks);

        assertThat(runner.outputTail(id, 10)).isEmpty();
        start(runner, id, ProcessSpec.of("true", work)).exit().toCompletableFuture().get(60, SECONDS);
        assertThat(runner.outputTail(id, 10)).isEmpty();
    }

    @Test
    void deleteFilesRemovesTheLogsAndTheExitFileOfThatTaskOnly() throws Exception {
        TaskId id = newId();
        TaskId other = newId();
        LocalProcessRunner runner = new LocalProcessRunner(tasks);
        start(runner, id, ProcessSpec.of("echo out; echo err >&2", work)).exit().toCompletableFuture().get(60, SECONDS);
        start(runner, other, ProcessSpec.of("echo kept", work)).exit().toCompletableFuture().get(60, SECONDS);
        Files.writeString(tasks.resolve(id + ".exit.tmp"), "0\n");
        Files.writeString(tasks.resolve(id + ".json"), "the task's own file");

        runner.deleteFiles(id);

        for (String suffix : List.of(".out.log", ".err.log", ".exit", ".exit.tmp")) {
            assertThat(tasks.resolve(id + suffix)).doesNotExist();
        }
        assertThat(tasks.resolve(id + ".json")).hasContent("the task's own file");
        assertThat(runner.outputTail(id, 10)).isEmpty();
        assertThat(runner.outputTail(other, 10)).isEqualTo("stdout:\nkept\n");
        assertThat(tasks.resolve(other + ".exit")).exists();
    }

    @Test
    void deleteFilesOfATaskThatLeftNoneDoesNothing() {
        LocalProcessRunner runner = new LocalProcessRunner(tasks);

        runner.deleteFiles(newId());

        assertThat(tasks).satisfiesAnyOf(folder -> assertThat(folder).doesNotExist(),
                folder -> assertThat(folder).isEmptyDirectory());
    }

    @Test
    void aFileThatCannotBeRemovedIsReportedAndTheOthersAreRemovedAllTheSame() throws Exception {
        TaskId id = newId();
        Files.createDirectories(tasks.resolve(id + ".out.log"));
        Files.writeString(tasks.resolve(id + ".out.log").resolve("inside"), "x");
        Files.writeString(tasks.resolve(id + ".err.log"), "err");
        Files.writeString(tasks.resolve(id + ".exit"), "0\n");
        LocalProcessRunner runner = new LocalProcessRunner(tasks);

        assertThatThrownBy(() -> runner.deleteFiles(id))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(id + ".out.log");

        assertThat(tasks.resolve(id + ".err.log")).doesNotExist();
        assertThat(tasks.resolve(id + ".exit")).doesNotExist();
    }

    @Test
    void aRunAgainUnderTheSameIdDoesNotSeeTheEarlierStatus() throws Exception {
        TaskId id = newId();
        LocalProcessRunner runner = new LocalProcessRunner(tasks);
        start(runner, id, ProcessSpec.of("exit 5", work)).exit().toCompletableFuture().get(60, SECONDS);

        RunningProcess again = start(runner, id, ProcessSpec.of("sleep 30", work));

        assertThat(tasks.resolve(id + ".exit")).doesNotExist();
        again.terminate();
        assertThat(again.exit().toCompletableFuture().get(60, SECONDS).exitCode()).isEqualTo(143);
    }

    @Test
    void aStatusLeftAsideByAnEarlierWrapperIsRemovedAtStart() throws Exception {
        TaskId id = newId();
        Files.createDirectories(tasks);
        Files.writeString(tasks.resolve(id + ".exit.tmp"), "9\n");

        start(new LocalProcessRunner(tasks), id, ProcessSpec.of("exit 4", work))
                .exit().toCompletableFuture().get(60, SECONDS);

        assertThat(tasks.resolve(id + ".exit.tmp")).doesNotExist();
        assertThat(tasks.resolve(id + ".exit")).hasContent("4");
    }

    @Test
    void aWrapperKilledWhileWritingItsStatusLeavesAnEmptyFileThatCountsAsNoStatus() throws Exception {
        TaskId id = newId();
        Path exitFile = tasks.resolve(id + ".exit");
        // as a shell killed between opening the exit file and writing to it
        String command = ": >'" + exitFile + "'; kill -s KILL $$";

        ProcessExit exit = start(new LocalProcessRunner(tasks), id, ProcessSpec.of(command, work))
                .exit().toCompletableFuture().get(60, SECONDS);

        assertThat(exitFile).exists().isEmptyFile();
        assertThat(exit.exitCode()).isEqualTo(128 + 9);
        assertThat(exit.stderrTail()).isEqualTo(TaskFiles.UNRECORDED_NOTE);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3})
    void aStatusThatCannotBeWrittenIsStillTheOneTheStartingOctoSeesAndIsWrittenOnceItCanBe(int code) throws Exception {
        TaskId id = newId();
        Path exitFile = tasks.resolve(id + ".exit");
        String taskMarker = TaskFiles.of(tasks, id).marker();
        // the command waits for the exit file's place to be taken, so that the start cannot clear it
        RunningProcess process = start(new LocalProcessRunner(tasks), id,
                ProcessSpec.of("while [ ! -e go ]; do sleep 0.05; done; echo out; exit " + code, work));
        try {
            Files.createDirectories(exitFile);
            Files.createFile(work.resolve("go"));

            ProcessExit exit = process.exit().toCompletableFuture().get(60, SECONDS);

            // the wrapper exited with the status it could not write, and its parent saw it
            assertThat(exit.exitCode()).isEqualTo(code);
            assertThat(exit.stdoutTail()).isEqualTo("out\n");
            assertThat(exit.stderrTail()).isEmpty();
            // what took the file's place was moved aside when it was read; the writer the wrapper left
            // behind then wrote the status, and ended
            assertThat(eventually(() -> Files.isRegularFile(exitFile) && Processes.livingWith(taskMarker).isEmpty()))
                    .isTrue();
            assertThat(exitFile).hasContent(Integer.toString(code));
            assertThat(tasks.resolve(id + ".exit.corrupt")).isDirectory();
        } finally {
            ProcessHandle.allProcesses()
                    .filter(other -> other.info().commandLine().map(line -> line.contains(taskMarker)).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void noStatusIsWrittenAgainOnceTheTasksFolderIsGone() throws Exception {
        TaskId id = newId();
        String taskMarker = TaskFiles.of(tasks, id).marker();
        RunningProcess process = start(new LocalProcessRunner(tasks), id,
                ProcessSpec.of("while [ ! -e go ]; do sleep 0.05; done; exit 4", work));
        try {
            assertThat(eventually(() -> Files.exists(tasks.resolve(id + ".out.log")))).as("the command runs").isTrue();
            try (Stream<Path> files = Files.walk(tasks)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            assertThat(tasks).doesNotExist();
            Files.createFile(work.resolve("go"));

            assertThat(process.exit().toCompletableFuture().get(60, SECONDS).exitCode()).isEqualTo(4);
            // the wrapper left no writer behind to try for a day where nobody will look
            assertThat(eventually(() -> Processes.livingWith(taskMarker).isEmpty())).isTrue();
        } finally {
            ProcessHandle.allProcesses()
                    .filter(other -> other.info().commandLine().map(line -> line.contains(taskMarker)).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static boolean eventually(BooleanSupplier condition) {
        return Eventually.holds(Duration.ofSeconds(30), condition);
    }

    @Test
    void theCommandsShellLeadsTheTasksGroupAndItsParentIsOctoAsWithAPlainShell() throws Exception {
        TaskId id = newId();
        RunningProcess process = start(new LocalProcessRunner(tasks), id,
                ProcessSpec.of("echo \"$0 $$ $PPID $#\"", work));

        ProcessExit exit = process.exit().toCompletableFuture().get(60, SECONDS);

        String[] words = exit.stdoutTail().strip().split(" ");
        assertThat(words[0]).isEqualTo("/bin/sh");
        assertThat(Long.parseLong(words[1])).isEqualTo(process.ref().pid());
        assertThat(Long.parseLong(words[2])).isEqualTo(ProcessHandle.current().pid());
        assertThat(words[3]).isEqualTo("0");
    }

    @Test
    void theCommandsShellLeadsASessionOfItsOwnAndHasNoDescriptorOfOctoBesidesItsThreeStreams() throws Exception {
        TaskId id = newId();
        // the descriptors are listed from here while the shell waits: listed by the shell itself, a
        // pipeline's own pipe could show among them
        RunningProcess process = start(new LocalProcessRunner(tasks), id,
                ProcessSpec.of(": > started; while [ ! -e go ]; do sleep 0.05; done", work));
        String descriptors;
        try {
            assertThat(Eventually.holds(Duration.ofSeconds(30), () -> Files.exists(work.resolve("started")))).isTrue();
            try (Stream<Path> open = Files.list(Path.of("/proc", Long.toString(process.ref().pid()), "fd"))) {
                descriptors = open.map(fd -> Integer.parseInt(fd.getFileName().toString())).sorted()
                        .map(String::valueOf).collect(Collectors.joining(" "));
            }
            String[] stat = Files.readString(Path.of("/proc", Long.toString(process.ref().pid()), "stat"))
                    .replaceFirst("^.*\\) ", "").split(" ");
            // fields after the name: state, ppid, pgrp, session
            assertThat(Long.parseLong(stat[2])).as("process group").isEqualTo(process.ref().pid());
            assertThat(Long.parseLong(stat[3])).as("session").isEqualTo(process.ref().pid());
        } finally {
            Files.createFile(work.resolve("go"));
        }
        ProcessExit exit = process.exit().toCompletableFuture().get(60, SECONDS);

        assertThat(exit.exitCode()).isZero();
        assertThat(descriptors).isEqualTo("0 1 2");
    }

    @Test
    void aCommandThatReplacesItsShellLeavesNoStatusButOctoSeesHowItEnded() throws Exception {
        TaskId id = newId();

        ProcessExit exit = start(new LocalProcessRunner(tasks), id,
                ProcessSpec.of("echo before; exec sh -c 'echo after; exit 5'", work)).exit().toCompletableFuture()
                .get(60, SECONDS);

        assertThat(exit.exitCode()).isEqualTo(5);
        assertThat(exit.stdoutTail()).isEqualTo("before\nafter\n");
        assertThat(exit.stderrTail()).isEmpty();
        assertThat(tasks.resolve(id + ".exit")).doesNotExist();
    }

    @Test
    void aTrapOnTermInTheCommandCatchesATermSentToItsOwnShell() throws Exception {
        ProcessExit exit = run("trap 'echo caught; exit 9' TERM; kill -s TERM $$; echo not reached");

        assertThat(exit.exitCode()).isEqualTo(9);
        assertThat(exit.stdoutTail()).isEqualTo("caught\n");
    }

    @Test
    void anExitTrapOfTheCommandRunsAndOctoSeesTheStatusOfExit() throws Exception {
        TaskId id = newId();

        ProcessExit exit = start(new LocalProcessRunner(tasks), id,
                ProcessSpec.of("trap 'echo bye' EXIT; exit 3", work)).exit().toCompletableFuture().get(60, SECONDS);

        assertThat(exit).usingRecursiveComparison().ignoringFields("endedAt")
                .isEqualTo(new ProcessExit(3, "bye\n", ""));
        // the command's trap took the place of the one that records the status
        assertThat(tasks.resolve(id + ".exit")).doesNotExist();
    }

    @Test
    void anExitTrapOfACommandThatReturnsStillLetsTheStatusBeRecorded() throws Exception {
        TaskId id = newId();

        ProcessExit exit = start(new LocalProcessRunner(tasks), id,
                ProcessSpec.of("trap 'echo bye' EXIT; false", work)).exit().toCompletableFuture().get(60, SECONDS);

        assertThat(exit.exitCode()).isEqualTo(1);
        assertThat(exit.stdoutTail()).isEqualTo("bye\n");
        assertThat(tasks.resolve(id + ".exit")).hasContent("1");
    }

    @Test
    void theStatusOfExitAndOfAFailureUnderSetEIsRecorded() throws Exception {
        TaskId exits = newId();
        TaskId fails = newId();

        RunningProcess first = start(new LocalProcessRunner(tasks), exits, ProcessSpec.of("exit 6; echo no", work));
        RunningProcess second = start(new LocalProcessRunner(tasks), fails, ProcessSpec.of("set -e; false; echo no", work));

        assertThat(first.exit().toCompletableFuture().get(60, SECONDS).exitCode()).isEqualTo(6);
        assertThat(second.exit().toCompletableFuture().get(60, SECONDS).exitCode()).isEqualTo(1);
        assertThat(tasks.resolve(exits + ".exit")).hasContent("6");
        assertThat(tasks.resolve(fails + ".exit")).hasContent("1");
    }

    @Test
    void aCommandThatExecsAnotherProgramEndsWithThatProgramsStatus() throws Exception {
        ProcessExit exit = run("echo before; exec /bin/sh -c 'echo in; exit 7'; echo not reached");

        assertThat(exit).usingRecursiveComparison().ignoringFields("endedAt")
                .isEqualTo(new ProcessExit(7, "before\nin\n", ""));
    }

    @Test
    void setDashEStopsTheCommandAtItsFirstFailure() throws Exception {
        ProcessExit exit = run("set -e; echo one; false; echo not reached");

        assertThat(exit).usingRecursiveComparison().ignoringFields("endedAt")
                .isEqualTo(new ProcessExit(1, "one\n", ""));
    }

    @Test
    void anUnknownProgramIsReportedAsAPlainShellWouldReportIt() throws Exception {
        ProcessExit exit = run("no-such-program-here --x");

        assertThat(exit.exitCode()).isEqualTo(127);
        assertThat(exit.stderrTail()).startsWith("/bin/sh: ").contains("no-such-program-here").doesNotContain("eval");
    }
}
