package dev.octo.bootstrap;

import dev.octo.application.port.in.TaskNotice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.adapters.persistence.JsonFileTaskStore;
import dev.octo.application.fakes.RecordingNotifier;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.ProcessRef;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import dev.octo.domain.Transition;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Octo starts on a folder where an earlier instance died leaving process tasks RUNNING in the
 * states a crash can leave them in, with the real store, the real process runner and real files; it
 * brings each to the right end.
 */
class TasksLeftRunningOnDiskTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path workingDirectory;

    private Path octoDir;
    private Path tasks;
    private JsonFileTaskStore earlier;
    /** When the earlier instance started its tasks: two hours ago. */
    private final Instant startedThen = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void anEarlierInstancesFolder() {
        octoDir = workingDirectory.resolve(".octo");
        tasks = octoDir.resolve("tasks");
        earlier = new JsonFileTaskStore(tasks);
    }

    /** A task the earlier instance recorded as RUNNING, with {@code process} if it got that far. */
    private TaskId leftRunning(String id, String command, Optional<ProcessRef> process) {
        Task dispatched = Task.dispatch(TaskId.of(id), ProcessSpec.of(command, workingDirectory), startedThen);
        Task running = ((Transition.Applied) dispatched.start(startedThen.plusSeconds(1))).task();
        earlier.save(process.map(ref -> running.withProcess(ref, startedThen.plusSeconds(1))).orElse(running));
        return running.id();
    }

    /** A process that has ended: its pid is what a task recorded before a crash. */
    private static ProcessRef aDeadProcess() throws Exception {
        Process process = new ProcessBuilder("true").start();
        Instant start = process.info().startInstant().orElse(Instant.now());
        process.waitFor();
        return new ProcessRef(process.pid(), start);
    }

    private TaskEngine startedOcto(RecordingNotifier notifier) {
        TaskEngine engine = CoreOnDisk.engine(octoDir, 3);
        engine.register(notifier);
        engine.start();
        return engine;
    }

    private static Task awaitFinal(TaskEngine engine, TaskId id) throws InterruptedException {
        Task task = engine.awaitFinal(id, LIMIT).orElseThrow();
        assertThat(task.isFinal()).as("task %s is final, not %s", id, task.status()).isTrue();
        return task;
    }

    @Test
    void aTaskWhoseCommandNeverRanRunsOnceAtTheNextStartWhileOneThatRanAndVanishedFailsAsInterrupted()
            throws Exception {
        // the start was recorded, then Octo died with the wrapper before setsid, or before it launched it
        TaskId withPid = leftRunning("nevrpid1", "echo ran >> ran-1; echo one", Optional.of(aDeadProcess()));
        TaskId withoutPid = leftRunning("nevrpid2", "echo ran >> ran-2; echo two", Optional.empty());
        // its wrapper opened the logs, so the command ran; then everything of it vanished
        TaskId vanished = leftRunning("vanishd1", "echo ran >> ran-3", Optional.of(aDeadProcess()));
        Files.createFile(tasks.resolve(vanished + ".out.log"));
        RecordingNotifier notifier = new RecordingNotifier();

        try (TaskEngine engine = startedOcto(notifier)) {
            Task one = awaitFinal(engine, withPid);
            Task two = awaitFinal(engine, withoutPid);
            Task interrupted = awaitFinal(engine, vanished);

            assertThat(one.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(one.result()).contains("one\n");
            assertThat(two.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(two.result()).contains("two\n");
            // started at this start, not when the start that never ran was recorded
            assertThat(one.startedAt()).hasValueSatisfying(at -> assertThat(at).isAfter(startedThen.plusSeconds(1)));
            assertThat(workingDirectory.resolve("ran-1")).hasContent("ran");
            assertThat(workingDirectory.resolve("ran-2")).hasContent("ran");
            assertThat(interrupted.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(interrupted.error()).hasValueSatisfying(error -> assertThat(error).startsWith("Interrupted"));
            assertThat(workingDirectory.resolve("ran-3")).doesNotExist();
        }
        assertThat(notifier.events(TaskNotice.Type.FAILED)).extracting(TaskNotice::taskId).containsExactly(vanished.value());
    }

    @Test
    void aTaskThatEndedWhileNoOctoRanEndsWhenItsStatusWasRecorded() throws Exception {
        TaskId id = leftRunning("endedago", "echo fine", Optional.of(aDeadProcess()));
        Files.writeString(tasks.resolve(id + ".out.log"), "fine\n");
        Files.writeString(tasks.resolve(id + ".exit"), "0\n");
        Instant ended = startedThen.plus(Duration.ofMinutes(10));
        Files.setLastModifiedTime(tasks.resolve(id + ".exit"), FileTime.from(ended));

        try (TaskEngine engine = startedOcto(new RecordingNotifier())) {
            Task task = awaitFinal(engine, id);

            assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(task.finishedAt()).contains(ended);
        }
        assertThat(new JsonFileTaskStore(tasks).find(id).orElseThrow().finishedAt()).contains(ended);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoOrALinkToADeviceAsAnExitFileNeitherHangsNorKillsTheStartAndIsReported() throws Exception {
        TaskId fifo = leftRunning("fifoexit", "true", Optional.of(aDeadProcess()));
        Files.createFile(tasks.resolve(fifo + ".out.log"));
        assertThat(new ProcessBuilder("mkfifo", tasks.resolve(fifo + ".exit").toString()).start().waitFor()).isZero();
        TaskId zero = leftRunning("zeroexit", "true", Optional.of(aDeadProcess()));
        Files.createFile(tasks.resolve(zero + ".out.log"));
        Files.createSymbolicLink(tasks.resolve(zero + ".exit"), Path.of("/dev/zero"));
        TaskId negative = leftRunning("negative", "true", Optional.of(aDeadProcess()));
        Files.createFile(tasks.resolve(negative + ".out.log"));
        Files.writeString(tasks.resolve(negative + ".exit"), "-3\n");

        try (TaskEngine engine = startedOcto(new RecordingNotifier())) {
            for (TaskId id : List.of(fifo, zero, negative)) {
                Task task = awaitFinal(engine, id);

                assertThat(task.status()).as("task %s", id).isEqualTo(TaskStatus.FAILED);
                assertThat(task.error()).hasValueSatisfying(error -> assertThat(error).startsWith("Interrupted")
                        .contains("Exit file " + tasks.resolve(id + ".exit")).doesNotContain("Exit code"));
            }
            assertThat(engine.loadProblems()).hasSize(3).allSatisfy(problem -> assertThat(problem)
                    .startsWith("Exit file " + tasks));
            assertThat(engine.loadProblems()).filteredOn(problem -> problem.contains("moved it to")).hasSize(2);
        }
        assertThat(tasks.resolve(fifo + ".exit")).doesNotExist();
        assertThat(Files.exists(tasks.resolve(fifo + ".exit.corrupt"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.isSymbolicLink(tasks.resolve(zero + ".exit.corrupt"))).isTrue();
    }
}
