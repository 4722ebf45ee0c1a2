package dev.octo.bootstrap;

import dev.octo.application.port.in.TaskNotice;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import dev.octo.adapters.persistence.InstanceLock;
import dev.octo.adapters.persistence.JsonFileTaskStore;
import dev.octo.application.fakes.Eventually;
import dev.octo.application.fakes.RecordingNotifier;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Octo is killed with SIGKILL while process tasks run and others wait; a new instance on the same
 * folder finds every task and brings each to the right end.
 */
class CrashRecoveryTest {

    @TempDir
    Path workingDirectory;

    @Test
    void aNewInstanceRecordsWhatEndedDuringTheOutageAdoptsWhatRunsAndRunsWhatWaited() throws Exception {
        Map<String, String> environment = Map.of("OCTO_DIR", workingDirectory.resolve(".octo").toString(),
                "BG_MAX_CONCURRENT", "3");
        String okId;
        String failingId;
        String longId;
        String waiting1;
        String waiting2;
        try (ChildOcto first = ChildOcto.start(workingDirectory, environment)) {
            okId = first.dispatch("touch started-ok; sleep 2; echo fine");
            failingId = first.dispatch("touch started-bad; sleep 2; echo broken >&2; exit 3");
            longId = first.dispatch("touch started-long; sleep 9; echo survived");
            waiting1 = first.dispatch("echo later-1");
            waiting2 = first.dispatch("echo later-2");
            awaitFiles("started-ok", "started-bad", "started-long");
            first.kill();
        }
        // the two short commands end while no Octo runs; their wrappers record how
        awaitFiles(".octo/tasks/" + okId + ".exit", ".octo/tasks/" + failingId + ".exit");
        assertThat(workingDirectory.resolve(".octo/tasks/" + longId + ".exit")).doesNotExist();
        // a start is written with the task's next change: the new instance finds the running command
        // of a task whose file still says DISPATCHED by the marker in its shell's arguments
        assertThat(new JsonFileTaskStore(workingDirectory.resolve(".octo/tasks")).find(TaskId.of(longId)))
                .hasValueSatisfying(task -> assertThat(task.status()).isEqualTo(TaskStatus.DISPATCHED));

        OctoConfig config = ConfigLoader.load(environment, workingDirectory);
        try (InstanceLock lock = InstanceLock.acquire(config.octoDir())) {
            Injector injector = Octo.injector(config);
            TaskEngine engine = injector.getInstance(TaskEngine.class);
            RecordingNotifier notifier = new RecordingNotifier();
            engine.register(notifier);
            engine.start();
            try {
                assertThat(engine.loadProblems()).isEmpty();
                assertThat(engine.list(java.util.Optional.empty())).hasSize(5);

                Task ok = engine.awaitFinal(TaskId.of(okId), Duration.ofSeconds(10)).orElseThrow();
                assertThat(ok.status()).isEqualTo(TaskStatus.COMPLETED);
                assertThat(ok.result()).hasValueSatisfying(result -> assertThat(result).contains("fine"));

                Task failing = engine.awaitFinal(TaskId.of(failingId), Duration.ofSeconds(10)).orElseThrow();
                assertThat(failing.status()).isEqualTo(TaskStatus.FAILED);
                assertThat(failing.error()).hasValueSatisfying(error -> assertThat(error)
                        .contains("Exit code 3").contains("broken"));

                assertThat(engine.find(TaskId.of(longId)).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);

                for (String waiting : List.of(waiting1, waiting2)) {
                    Task done = engine.awaitFinal(TaskId.of(waiting), Duration.ofSeconds(20)).orElseThrow();
                    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
                }

                Task survived = engine.awaitFinal(TaskId.of(longId), Duration.ofSeconds(30)).orElseThrow();
                assertThat(survived.status()).isEqualTo(TaskStatus.COMPLETED);
                assertThat(survived.result()).hasValueSatisfying(result -> assertThat(result).contains("survived"));
                // notifications are delivered on a thread of their own, just after the change is saved
                Eventually.await(Duration.ofSeconds(10), () -> notifier.events(TaskNotice.Type.COMPLETED).size() >= 4);
                assertThat(notifier.events(TaskNotice.Type.COMPLETED))
                        .extracting(TaskNotice::taskId)
                        .contains(okId, longId, waiting1, waiting2);
                assertThat(notifier.events(TaskNotice.Type.FAILED))
                        .extracting(TaskNotice::taskId)
                        .containsExactly(failingId);
            } finally {
                engine.close();
            }
        }
        try (Stream<Path> files = Files.list(workingDirectory.resolve(".octo/tasks"))) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".corrupt") || name.endsWith(".tmp"));
        }
    }

    @Test
    void cancellingAnAdoptedTaskStopsItsWholeProcessGroup() throws Exception {
        String marker = "octo-adopt-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Map<String, String> environment = Map.of("OCTO_DIR", workingDirectory.resolve(".octo").toString());
        String id;
        try (ChildOcto first = ChildOcto.start(workingDirectory, environment)) {
            id = first.dispatch("touch started; sh -c 'sleep 300; :' " + marker + " & (sh -c 'sleep 300; :' " + marker
                    + " &); sleep 300");
            awaitFiles("started");
            // the task's shell, whose script holds the command, and the two sh
            Eventually.await(Duration.ofSeconds(10), () -> processesWith(marker) >= 3);
            first.kill();
        }
        OctoConfig config = ConfigLoader.load(environment, workingDirectory);
        try (InstanceLock lock = InstanceLock.acquire(config.octoDir())) {
            TaskEngine engine = Octo.injector(config).getInstance(TaskEngine.class);
            engine.start();
            try {
                assertThat(engine.find(TaskId.of(id)).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
                assertThat(engine.cancel(TaskId.of(id)))
                        .isInstanceOf(dev.octo.application.port.in.TaskOutcome.Done.class);
                Eventually.await(Duration.ofSeconds(10), () -> processesWith(marker) == 0);
                assertThat(engine.find(TaskId.of(id)).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
            } finally {
                engine.close();
            }
        } finally {
            ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains(marker))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static long processesWith(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(marker))
                .count();
    }

    private void awaitFiles(String... names) throws InterruptedException {
        Eventually.await(Duration.ofSeconds(20),
                () -> Stream.of(names).allMatch(name -> Files.exists(workingDirectory.resolve(name))));
    }

}
