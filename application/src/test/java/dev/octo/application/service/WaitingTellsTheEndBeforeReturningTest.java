package dev.octo.application.service;

import dev.octo.application.port.in.TaskNotice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.Eventually;
import dev.octo.application.fakes.FakeProcessRunner;
import dev.octo.application.fakes.InMemoryTaskStore;
import dev.octo.application.fakes.ScriptedAgentRunner;
import dev.octo.application.fakes.SequentialTaskIds;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.out.ProcessExit;
import dev.octo.domain.TaskId;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A script's {@code /wait} answers after the notification of the end it waited for: "Task X failed"
 * comes before "All tasks are done", however slow a channel is.
 */
class WaitingTellsTheEndBeforeReturningTest {

    @TempDir
    Path workingDirectory;

    private final List<TaskNotice> heard = new CopyOnWriteArrayList<>();

    private TaskEngine startedWithASlowChannel() {
        FakeProcessRunner processes = new FakeProcessRunner()
                .exitAtOnceWith(new ProcessExit(127, "", "nosuchcmd: not found\n"));
        TaskEngine engine = new TaskEngine(new InMemoryTaskStore(), new SequentialTaskIds(),
                Clock.systemUTC(), processes, new ScriptedAgentRunner(), EngineSettings.defaults(workingDirectory));
        engine.register(event -> {
            try {
                Thread.sleep(300); // a channel that takes its time, as a remote one may
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            heard.add(event);
        });
        engine.start();
        return engine;
    }

    private static TaskId dispatched(TaskEngine engine) {
        return ((TaskOutcome.Done) engine.dispatch(DispatchTask.Process.of("nosuchcmd"))).task().id();
    }

    @Test
    void waitingForEveryTaskReturnsOnceTheirEndsWereTold() throws Exception {
        try (TaskEngine engine = startedWithASlowChannel()) {
            dispatched(engine);

            assertThat(engine.awaitAllSettled(Eventually.DEFAULT_LIMIT)).isTrue();

            assertThat(heard).last().extracting(TaskNotice::type).isEqualTo(TaskNotice.Type.FAILED);
        }
    }

    @Test
    void waitingForOneTaskReturnsOnceItsEndWasTold() throws Exception {
        try (TaskEngine engine = startedWithASlowChannel()) {
            TaskId id = dispatched(engine);

            assertThat(engine.awaitFinal(id, Eventually.DEFAULT_LIMIT).orElseThrow().isFinal()).isTrue();

            assertThat(heard).last().extracting(TaskNotice::type).isEqualTo(TaskNotice.Type.FAILED);
        }
    }
}
