package dev.octo.adapters.cli;

import dev.octo.application.fakes.FakeAgentTranscripts;
import dev.octo.application.port.in.TaskNotice;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.FakeProcessRunner;
import dev.octo.application.fakes.InMemoryTaskStore;
import dev.octo.application.fakes.NoSupervisorChat;
import dev.octo.application.fakes.SequentialTaskIds;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.out.AgentRunner;
import dev.octo.application.service.CommandInterpreter;
import dev.octo.application.service.EngineSettings;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import dev.octo.domain.Transition;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainConsoleTest {

    @TempDir
    Path folder;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final FakeProcessRunner processes = new FakeProcessRunner();
    private TaskEngine engine;

    @BeforeEach
    void startTheEngine() {
        engine = new TaskEngine(new InMemoryTaskStore(), new SequentialTaskIds(), Clock.systemUTC(), processes,
                task -> new AgentRunner.Outcome.Failed("no agents in this test"), EngineSettings.defaults(folder));
        engine.start();
    }

    @AfterEach
    void stopTheEngine() {
        engine.close();
    }

    @Test
    void repliesGoToStdoutAndRefusalsToStderrAndTheRunSaysSomethingWasRefused() throws Exception {
        boolean allAccepted = console("/tasks\n/nonsense\n/help\n/task zzzzzzzz\n").run();

        assertThat(allAccepted).isFalse();
        assertThat(out()).startsWith("No tasks yet.").contains("Commands:").doesNotContain("Unknown command");
        assertThat(err()).isEqualTo("Unknown command /nonsense. /help lists the commands.\n"
                + "No task matches 'zzzzzzzz'. /tasks lists them.\n");
    }

    @Test
    void aRunWithNothingRefusedSaysSo() throws Exception {
        boolean allAccepted = console("/tasks\n\n   \n/help\n").run();

        assertThat(allAccepted).isTrue();
        assertThat(err()).isEmpty();
    }

    @Test
    void exitWithMoreAfterItIsRefusedWithItsUsageAndTheRestIsStillRead() throws Exception {
        boolean allAccepted = console("/exit now\n/quit later\n/tasks\n/exit\n/help\n").run();

        assertThat(allAccepted).isFalse();
        assertThat(err()).isEqualTo("Usage: /exit\nUsage: /quit\n");
        assertThat(out()).isEqualTo("No tasks yet. /bg <command> starts one.\n");
    }

    @Test
    void controlCharactersInANotificationAreMadeVisible() {
        PlainConsole console = console("");
        Instant at = Instant.parse("2025-01-01T10:00:00Z");
        Task task = ((Transition.Applied) Task.dispatch(TaskId.of("abcd1234"), ProcessSpec.of("printf", folder), at)
                .start(at)).task();

        console.notify(TaskNotice.of(((Transition.Applied) task.complete("before\033[2J\033]0;title\007RED\r\n", at)).event()));

        assertThat(out()).isEqualTo("Task abcd1234 completed: printf\n  before^[[2J^[]0;title^GRED\n");
    }

    @Test
    void controlCharactersInAReplyAreMadeVisible() throws Exception {
        TaskOutcome dispatched = engine.dispatch(DispatchTask.Process.of("printf x"));
        TaskId id = ((TaskOutcome.Done) dispatched).task().id();
        processes.output(id, "clear\033[2J\n\u009b31m");

        console("/task " + id + " log\n").run();

        assertThat(out()).doesNotContain("\033", "\u009b").contains("clear^[[2J\n\\u009b31m");
    }

    private PlainConsole console(String input) {
        return new PlainConsole(new BufferedReader(new StringReader(input)), new PrintStream(out, true, UTF_8),
                new PrintStream(err, true, UTF_8), CommandInterpreter.over(engine, new FakeAgentTranscripts(), new NoSupervisorChat(),
                Clock.systemUTC()));
    }

    private String out() {
        return out.toString(UTF_8).replace(System.lineSeparator(), "\n");
    }

    private String err() {
        return err.toString(UTF_8).replace(System.lineSeparator(), "\n");
    }
}
