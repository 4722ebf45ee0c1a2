package dev.octo.adapters.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.Eventually;
import dev.octo.application.port.out.OutputChunk;
import dev.octo.application.port.out.OutputChunk.Part;
import dev.octo.application.port.out.OutputChunk.Position;
import dev.octo.application.port.out.RunningProcess;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.TaskId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a task's logs are, the exit status it recorded, and reading its output as it grows, with real processes. */
class TaskLogQueriesTest {

    @TempDir
    Path temp;

    private Path tasks;
    private Path work;
    private LocalProcessRunner runner;
    private final List<RunningProcess> started = new ArrayList<>();

    @BeforeEach
    void folders() throws IOException {
        tasks = temp.resolve("tasks");
        work = Files.createDirectories(temp.resolve("work"));
        runner = new LocalProcessRunner(tasks, Duration.ofSeconds(1));
    }

    @AfterEach
    void stopWhatIsLeft() {
        started.forEach(RunningProcess::terminate);
    }

    private RunningProcess start(TaskId id, String command) {
        RunningProcess process = runner.start(id, ProcessSpec.of(command, work));
        started.add(process);
        return process;
    }

    @Test
    void theLogFilesAreTheTwoLogsInTheTasksFolderBeforeAndAfterTheyExist() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        List<Path> logs = List.of(tasks.resolve(id + ".out.log").toAbsolutePath(),
                tasks.resolve(id + ".err.log").toAbsolutePath());

        assertThat(runner.logFiles(id)).isEqualTo(logs);
        start(id, "echo out; echo err >&2").exit().toCompletableFuture().get(60, SECONDS);

        assertThat(runner.logFiles(id)).isEqualTo(logs);
        assertThat(logs.get(0)).hasContent("out");
        assertThat(logs.get(1)).hasContent("err");
    }

    @Test
    void theRecordedExitCodeIsTheCommandsStatusOnceItEnded() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        RunningProcess process = start(id, "while [ ! -e '" + work.resolve("go") + "' ]; do sleep 0.05; done; exit 7");

        assertThat(runner.recordedExitCode(id)).isEmpty();
        Files.createFile(work.resolve("go"));
        process.exit().toCompletableFuture().get(60, SECONDS);

        assertThat(runner.recordedExitCode(id)).contains(7);
    }

    @Test
    void aTerminatedCommandRecordedNoExitCode() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        RunningProcess process = start(id, "sleep 60");

        process.terminate();
        process.exit().toCompletableFuture().get(60, SECONDS);

        assertThat(runner.recordedExitCode(id)).isEmpty();
    }

    @Test
    void outputIsReadOnFromWhereTheLastReadEnded() throws Exception {
        TaskId id = LocalProcessRunnerTest.newId();
        Path go = work.resolve("go");
        RunningProcess process = start(id, "echo one; echo first-error >&2; "
                + "while [ ! -e " + go + " ]; do sleep 0.05; done; echo two; printf 'three'; echo second-error >&2");
        assertThat(Eventually.holds(Duration.ofSeconds(20),
                () -> readable(tasks.resolve(id + ".err.log")).equals("first-error\n"))).isTrue();

        OutputChunk first = runner.outputSince(id, Position.START, 1024);
        Files.createFile(go);
        process.exit().toCompletableFuture().get(60, SECONDS);
        OutputChunk second = runner.outputSince(id, first.end(), 1024);
        OutputChunk third = runner.outputSince(id, second.end(), 1024);

        assertThat(first).isEqualTo(new OutputChunk(new Part("one\n", 0), new Part("first-error\n", 0),
                new Position(4, 12)));
        assertThat(second).isEqualTo(new OutputChunk(new Part("two\nthree", 0), new Part("second-error\n", 0),
                new Position(13, 25)));
        assertThat(third).isEqualTo(OutputChunk.nothingAt(second.end()));
    }

    @Test
    void ofATaskThatWroteNothingThereIsNothingToRead() {
        TaskId id = LocalProcessRunnerTest.newId();

        assertThat(runner.outputSince(id, Position.START, 10)).isEqualTo(OutputChunk.nothingAt(Position.START));
    }

    private static String readable(Path file) {
        try {
            return Files.readString(file, UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
