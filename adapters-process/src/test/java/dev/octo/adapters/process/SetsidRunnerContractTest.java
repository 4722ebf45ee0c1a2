package dev.octo.adapters.process;

import dev.octo.application.port.out.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The contract where tasks are started through {@code ProcessBuilder} and {@code setsid}, as where there is no posix_spawn. */
class SetsidRunnerContractTest extends LocalProcessRunnerContractTest {

    @Override
    protected ProcessRunner newRunner() {
        Path setsid = Files.isExecutable(Path.of("/usr/bin/setsid")) ? Path.of("/usr/bin/setsid") : Path.of("/bin/setsid");
        return new LocalProcessRunner(temp.resolve("tasks"), Duration.ofSeconds(5), Optional.of(setsid));
    }
}
