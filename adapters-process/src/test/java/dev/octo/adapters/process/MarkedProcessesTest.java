package dev.octo.adapters.process;

import dev.octo.application.fakes.Eventually;
import dev.octo.application.port.out.RunningProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests whose commands carry a marker of their own, so that what they started can be found with
 * {@code ps}; whatever a test leaves running is stopped after it.
 */
abstract class MarkedProcessesTest {

    private static final Duration TEARDOWN_SETTLE = Duration.ofSeconds(15);

    @TempDir
    Path temp;

    Path tasks;
    Path work;
    String marker;
    /** A copy of {@code sleep} whose path holds the marker. */
    Path sleep;
    private final List<RunningProcess> watched = new ArrayList<>();

    @BeforeEach
    void folders() throws IOException {
        tasks = temp.resolve("tasks");
        work = Files.createDirectories(temp.resolve("work"));
        marker = "octotest" + LocalProcessRunnerTest.newId();
        sleep = Processes.markedSleep(temp, marker);
    }

    @AfterEach
    void stopWhatIsLeft() {
        watched.forEach(RunningProcess::terminate);
        // a test that failed must not leave its sleeps behind for the next ones
        Eventually.holds(TEARDOWN_SETTLE, () -> Processes.livingWith(marker).isEmpty());
        destroyWhatCarriesTheMarker();
    }

    /** {@code process}, terminated after the test if it still runs. */
    RunningProcess watched(RunningProcess process) {
        watched.add(process);
        return process;
    }

    void destroyWhatCarriesTheMarker() {
        ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }
}
