package dev.octo.application.port.out;

import dev.octo.application.fakes.FakeProcess;
import dev.octo.application.fakes.FakeProcessRunner;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.TaskId;
import java.nio.file.Path;

/** The fake keeps the same contract as the real runner, so tests that use it mean something. */
class FakeProcessRunnerContractTest extends ProcessRunnerContract {

    private static final ProcessSpec ANY = ProcessSpec.of("scripted", Path.of("/srv"));

    @Override
    protected ProcessRunner newRunner() {
        return new FakeProcessRunner();
    }

    @Override
    protected RunningProcess startEnding(ProcessRunner runner, TaskId id, int exitCode, String stdout, String stderr) {
        FakeProcess process = (FakeProcess) runner.start(id, ANY);
        process.finish(exitCode, stdout, stderr);
        return process;
    }

    @Override
    protected RunningProcess startRunning(ProcessRunner runner, TaskId id) {
        return runner.start(id, ANY);
    }
}
