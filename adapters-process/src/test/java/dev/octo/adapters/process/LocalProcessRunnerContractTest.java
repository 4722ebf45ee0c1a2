package dev.octo.adapters.process;

import dev.octo.application.fakes.Eventually;
import dev.octo.application.port.out.ProcessRunner;
import dev.octo.application.port.out.ProcessRunnerContract;
import dev.octo.application.port.out.RunningProcess;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.TaskId;
import dev.octo.domain.Timeout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The real runner, with real commands in a temporary folder, against the contract the fake keeps too. */
class LocalProcessRunnerContractTest extends ProcessRunnerContract {

    @TempDir
    Path temp;

    private Path work;
    private final List<RunningProcess> started = new ArrayList<>();

    @BeforeEach
    void folders() throws IOException {
        work = Files.createDirectories(temp.resolve("work"));
    }

    @AfterEach
    void stopWhatIsLeft() {
        started.forEach(RunningProcess::terminate);
    }

    @Override
    protected ProcessRunner newRunner() {
        return new LocalProcessRunner(temp.resolve("tasks"), Duration.ofSeconds(5));
    }

    /** The output comes through the environment, so that no text needs quoting for the shell. */
    @Override
    protected RunningProcess startEnding(ProcessRunner runner, TaskId id, int exitCode, String stdout, String stderr) {
        ProcessSpec spec = new ProcessSpec("printf '%s' \"$OUT\"; printf '%s' \"$ERR\" >&2; exit " + exitCode, work,
                Map.of("OUT", stdout, "ERR", stderr), Timeout.NONE);
        RunningProcess process = runner.start(id, spec);
        started.add(process);
        return process;
    }

    /** Returns once the command runs: its wrapper has opened the logs, so a stop cannot come before it. */
    @Override
    protected RunningProcess startRunning(ProcessRunner runner, TaskId id) {
        RunningProcess process = runner.start(id, ProcessSpec.of("sleep 600", work));
        started.add(process);
        Path stdoutLog = runner.logFiles(id).get(0);
        Eventually.await("the command of task " + id + " runs", () -> Files.exists(stdoutLog));
        return process;
    }
}
