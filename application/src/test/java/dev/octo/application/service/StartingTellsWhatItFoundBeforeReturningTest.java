package dev.octo.application.service;

import dev.octo.application.port.in.TaskNotice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.FakeProcessRunner;
import dev.octo.application.fakes.InMemoryTaskStore;
import dev.octo.application.fakes.ScriptedAgentRunner;
import dev.octo.application.fakes.SequentialTaskIds;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.Transition;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the start finds (a task that ended while Octo was down) reaches every channel before
 * {@link TaskEngine#start()} returns, so that a front end prints it before its first answer.
 */
class StartingTellsWhatItFoundBeforeReturningTest {

    @TempDir
    Path workingDirectory;

    @Test
    void aSlowChannelHasHeardOfWhatTheStartFoundWhenStartReturns() {
        InMemoryTaskStore store = new InMemoryTaskStore();
        Instant earlier = Instant.parse("2025-01-01T10:00:00Z");
        Task running = ((Transition.Applied) Task.dispatch(TaskId.of("gone1234"),
                ProcessSpec.of("make", workingDirectory), earlier).start(earlier)).task();
        store.save(running);
        // its process is gone without an exit status: the start fails it
        FakeProcessRunner processes = new FakeProcessRunner().adoptGone(running.id());
        List<TaskNotice> heard = new CopyOnWriteArrayList<>();
        try (TaskEngine engine = new TaskEngine(store, new SequentialTaskIds(), Clock.systemUTC(),
                processes, new ScriptedAgentRunner(), EngineSettings.defaults(workingDirectory))) {
            engine.register(event -> {
                try {
                    Thread.sleep(300); // a channel that takes its time, as a remote one may
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                heard.add(event);
            });

            engine.start();

            assertThat(heard).extracting(TaskNotice::taskId).containsExactly(running.id().value());
            assertThat(heard.get(0).type()).isEqualTo(TaskNotice.Type.FAILED);
        }
    }
}
