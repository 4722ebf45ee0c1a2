package dev.octo.adapters.cli;

import dev.octo.application.fakes.FakeAgentTranscripts;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.fakes.NoSupervisorChat;
import dev.octo.application.service.CommandInterpreter;
import dev.octo.domain.AgentSpec;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.Task;
import dev.octo.application.port.in.TaskNotice;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import dev.octo.domain.Transition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JLineConsoleTest {

    @TempDir
    Path folder;

    @Test
    void aNotificationKeepsTheHalfTypedLineIntact() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false).start()) {
            harness.type("/tas");
            harness.awaitScreen("octo> /tas");
            int mark = harness.screen().length();

            harness.console.notify(completed("abcd1234", "make release", "released 1.2"));
            harness.awaitScreenAfter(mark, "Task abcd1234 completed: make release\n  released 1.2\n");
            int notice = harness.screen().indexOf("released 1.2", mark);
            harness.awaitScreenAfter(notice, "octo> /tas");

            harness.type("ks\r");
            harness.awaitScreen("No tasks yet.");
            harness.type("/exit\r");
            harness.awaitEnd();
            assertThat(harness.history()).containsExactly("/tasks", "/exit");
        }
    }

    @Test
    void aProblemOfOctoItselfIsShownAboveThePromptLikeANotification() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false).start()) {
            int mark = harness.screen().length();

            harness.console.notifyProblem("Octo cannot write its state: disk full");

            harness.awaitScreenAfter(mark, "Octo cannot write its state: disk full\n");
            int notice = harness.screen().indexOf("disk full", mark);
            harness.awaitScreenAfter(notice, "octo> ");
            harness.type("/exit\r");
            harness.awaitEnd();
        }
    }

    @Test
    void tabCompletesAUniquePrefixOfATaskId() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, "abc12345", "xyz67890").start()) {
            harness.dispatch("sleep 100");
            harness.dispatch("sleep 200");

            harness.type("/task ab\t\r");

            harness.awaitScreen("Task abc12345 · process · running");
            assertThat(harness.screen()).contains("Command:  sleep 100");
        }
    }

    @Test
    void tabOffersBothCommandsThatStartAlike() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false).start()) {
            harness.type("/ta\t");
            harness.awaitScreen("/tasks");
            int mark = harness.screen().length();

            harness.type("\r");

            harness.awaitScreenAfter(mark, "Usage: /task <id>");
            assertThat(harness.screen()).contains("/task ").contains("/tasks");
        }
    }

    @Test
    void tabOffersTheSubcommandsOfATask() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, "abc12345").start()) {
            harness.dispatch("sleep 100");

            harness.type("/task abc12345 ca\t\r");

            harness.awaitScreen("Cancelled task abc12345.");
            assertThat(harness.store.find(TaskId.of("abc12345")).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
        }
    }

    @Test
    void cancellingATaskAnswersWithOneLine() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, "abc12345", "def67890").start()) {
            harness.dispatch("sleep 100");
            harness.processes.awaitProcess(TaskId.of("abc12345"), ConsoleHarness.PATIENCE);

            harness.type("/task abc12345 cancel\r");
            harness.awaitScreen("Cancelled task abc12345.");
            // notifications come one after another in the order of the events: once the end of a
            // later task is shown, a notification of the cancel would have been shown before it
            Task later = harness.dispatch("echo later");
            harness.processes.awaitProcess(later.id(), ConsoleHarness.PATIENCE).finish(0, "later", "");
            harness.awaitScreen("Task def67890 completed: echo later");

            assertThat(harness.screen().lines().filter(line -> line.contains("abc12345") && !line.contains("octo"))
                    .distinct()).containsExactly("Cancelled task abc12345.");
        }
    }

    @Test
    void ctrlCClearsTheHalfTypedLineAndTheConsoleGoesOn() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false).start()) {
            harness.type("/tas");
            harness.awaitScreen("octo> /tas");
            int mark = harness.screen().length();

            harness.type("\u0003");
            // Ctrl-C is a signal, not a key: what is typed right after it may reach the line before it
            harness.awaitScreenAfter(mark, "octo> ");
            harness.type("/help\r");

            harness.awaitScreen("Commands:");
            assertThat(harness.running()).isTrue();
            harness.type("/exit\r");
            harness.awaitEnd();
            assertThat(harness.history()).containsExactly("/help", "/exit");
        }
    }

    @Test
    void ctrlCStopsAWaitThatBlocks() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, "abc12345").start()) {
            harness.dispatch("sleep 100");
            harness.type("/wait abc12345\r");

            // a Ctrl-C that comes before the wait has begun only clears an empty prompt: send until one lands
            harness.await(() -> {
                harness.type("\u0003");
                return harness.screen().contains("Stopped waiting.");
            }, () -> "the wait to stop");

            harness.type("/tasks\r");
            harness.awaitScreen("sleep 100");
            assertThat(harness.store.find(TaskId.of("abc12345")).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
        }
    }

    @Test
    void followingATaskPrintsItsNewOutputUntilCtrlCStopsIt() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, "abc12345").start()) {
            harness.dispatch("make all");
            TaskId id = TaskId.of("abc12345");
            harness.processes.awaitProcess(id, ConsoleHarness.PATIENCE);
            harness.type("/task abc12345 log -f\r");
            harness.awaitScreen("Following task abc12345");

            harness.processes.write(id, "compiling main.c\n", "");
            harness.awaitScreen("compiling main.c");
            harness.await(() -> {
                harness.type("\u0003");
                return harness.screen().contains("Stopped following task abc12345");
            }, () -> "following to stop");

            harness.type("/tasks\r");
            harness.awaitScreen("make all");
            assertThat(harness.store.find(id).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
        }
    }

    @Test
    void thePromptCountsRunningTasks() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, "abc12345", "def67890").start()) {
            harness.dispatch("sleep 100");
            harness.dispatch("sleep 200");

            harness.type("\r");

            harness.awaitScreen("octo (2 running)> ");
        }
    }

    @Test
    void thePromptCountsRunningWaitingAndPausedTasks() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, 2, "aaaa1111", "bbbb2222", "cccc3333",
                "dddd4444", "eeee5555").start()) {
            for (int i = 1; i <= 5; i++) {
                harness.dispatch("sleep " + i);
            }
            harness.store.save(paused("ffff6666", "which branch?"));

            harness.type("\r");

            harness.awaitScreen("octo (2 running, 3 waiting, 1 paused)> ");
        }
    }

    @Test
    void aTaskStartingFromTheQueueRedrawsThePromptWithTheNewCounts() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, 1, "abc12345", "def67890").start()) {
            Task first = harness.dispatch("sleep 100");
            harness.dispatch("sleep 200");
            harness.type("\r");
            harness.awaitScreen("octo (1 running, 1 waiting)> ");

            harness.processes.awaitProcess(first.id(), ConsoleHarness.PATIENCE).finish(0, "", "");

            // a redraw may rewrite only the letters that changed ("waiting" to "running")
            harness.awaitCursorLine("octo (1 running)>");
            assertThat(harness.cursorLine()).isEqualTo("octo (1 running)>");
        }
    }

    @Test
    void aNotificationRedrawsThePromptWithTheNewCounts() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, "abc12345").start()) {
            Task task = harness.dispatch("sleep 100");
            harness.type("\r");
            harness.awaitScreen("octo (1 running)> ");
            harness.type("/ta");
            harness.awaitScreen("octo (1 running)> /ta");
            int mark = harness.screen().length();

            harness.processes.awaitProcess(task.id(), Duration.ofSeconds(10)).finish(0, "done\n", "");

            harness.awaitScreenAfter(mark, "Task abc12345 completed: sleep 100");
            harness.awaitScreenAfter(mark, "octo> /ta");
        }
    }

    @Test
    void aTaskListIsDrawnAsATable() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, "abc12345").start()) {
            harness.dispatch("echo " + "x".repeat(200));

            harness.type("/tasks\r");

            // the row is read once drawn whole: the output may be read while the table is being written
            harness.await(() -> harness.screen().lines().anyMatch(line -> line.startsWith("abc12345") && line.endsWith("…")),
                    () -> "the row of abc12345 to be drawn");
            String row = harness.screen().lines().filter(line -> line.startsWith("abc12345")).findFirst().orElseThrow();
            assertThat(row).startsWith("abc12345  process  running").endsWith("…");
            assertThat(row.length()).isEqualTo(100);
        }
    }

    @Test
    void withoutColourNothingIsColoured() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, "abc12345").start()) {
            harness.dispatch("sleep 100");
            harness.type("/tasks\r");
            harness.awaitScreen("sleep 100");
            harness.type("/nonsense\r");
            harness.awaitScreen("Unknown command /nonsense");
            harness.console.notify(completed("abcd1234", "make", "ok"));
            harness.awaitScreen("Task abcd1234 completed");

            assertThat(harness.rawScreen()).doesNotContainPattern("\u001B\\[[0-9;]*(3[0-7]|9[0-7]|1|2)m");
        }
    }

    @Test
    void withColourStatusesErrorsAndNotificationsAreColoured() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, true, "abc12345").start()) {
            harness.dispatch("sleep 100");
            harness.type("/tasks\r");
            harness.awaitScreen("sleep 100");
            assertThat(harness.rawScreen()).containsPattern("\u001B\\[[0-9;]*36m" + "running");

            harness.type("/nonsense\r");
            harness.awaitScreen("Unknown command /nonsense");
            assertThat(harness.rawScreen()).containsPattern("\u001B\\[[0-9;]*31m" + "Unknown command");

            harness.console.notify(completed("abcd1234", "make", "ok"));
            harness.awaitScreen("Task abcd1234 completed");
            assertThat(harness.rawScreen()).containsPattern("\u001B\\[[0-9;]*32m" + "Task abcd1234 completed");
        }
    }

    @Test
    void escapeSequencesATaskPrintedReachTheTerminalOnlyAsVisibleCharacters() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, true, "abc12345").start()) {
            Task task = harness.dispatch("printf 'before\\033[2J\\033[H\\033[31mRED\\033[0m\\n'");
            String output = "before\033[2J\033[H\033[31mRED\033[0m\n";
            harness.processes.output(task.id(), output);
            harness.processes.awaitProcess(task.id(), ConsoleHarness.PATIENCE).finish(0, output, "");
            harness.awaitScreen("Task abc12345 completed");
            harness.awaitScreen("before^[[2J^[[H^[[31mRED^[[0m");
            int mark = harness.screen().length();

            harness.type("/task abc12345 log\r");

            harness.awaitScreenAfter(mark, "before^[[2J^[[H^[[31mRED^[[0m");
            assertThat(harness.rawScreen()).doesNotContain("\u001B[2J", "\u001B[31mRED");
            assertThat(harness.rawScreen()).containsPattern("\u001B\\[[0-9;]*32m" + "Task abc12345 completed");
        }
    }

    @Test
    void commandsReachTheInterpreterExactlyAsTyped() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, "abc12345").start()) {
            harness.type("/bg echo a\\\\b 'it''s' !! \"$HOME\"\r");

            harness.awaitScreen("Dispatched task abc12345");
            ProcessSpec spec = (ProcessSpec) harness.store.find(TaskId.of("abc12345")).orElseThrow().spec();
            assertThat(spec.command()).isEqualTo("echo a\\\\b 'it''s' !! \"$HOME\"");
        }
    }

    @Test
    void leavingAndChoosingStopCancelsTheRunningProcessTasks() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, "abc12345").start()) {
            Task task = harness.dispatch("sleep 100");
            harness.await(() -> !harness.engine.runningProcessTasks().isEmpty(), () -> "the task to run");

            harness.type("/exit\r");
            harness.awaitScreen("1 process task still running. Leave it running (the next start picks it up)"
                    + " or stop it? [L/s] ");
            harness.type("s\r");
            harness.awaitEnd();

            assertThat(harness.store.find(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(harness.processes.process(task.id()).orElseThrow().wasTerminated()).isTrue();
            assertThat(harness.screen()).contains("Cancelled task abc12345.");
            assertThat(harness.history()).containsExactly("/exit");
        }
    }

    @Test
    void leavingAndPressingEnterLeavesThemRunning() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, "abc12345", "def67890").start()) {
            harness.dispatch("sleep 100");
            harness.dispatch("sleep 200");
            harness.await(() -> harness.engine.runningProcessTasks().size() == 2, () -> "the tasks to run");

            harness.type("/quit\r");
            harness.awaitScreen("2 process tasks still running. Leave them running");
            harness.type("\r");
            harness.awaitEnd();

            assertThat(harness.store.list()).extracting(Task::status).containsOnly(TaskStatus.RUNNING);
            assertThat(harness.processes.process(TaskId.of("abc12345")).orElseThrow().wasTerminated()).isFalse();
            assertThat(harness.screen()).contains("Left them running.");
        }
    }

    @Test
    void anUnclearAnswerIsAskedAgain() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, "abc12345").start()) {
            harness.dispatch("sleep 100");
            harness.await(() -> !harness.engine.runningProcessTasks().isEmpty(), () -> "the task to run");

            harness.type("/exit\r");
            harness.awaitScreen("[L/s] ");
            harness.type("maybe\r");
            harness.awaitScreen("Type l (or just Enter) to leave, s to stop.");
            harness.type("S\r");
            harness.awaitEnd();

            assertThat(harness.store.find(TaskId.of("abc12345")).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
        }
    }

    @Test
    void choosingStopStopsWhatRunsAndStartsNothingThatWaits() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, 1, "abc12345", "def67890").start()) {
            Task running = harness.dispatch("sh -c 'sleep 300 & sleep 301'");
            Task waiting = harness.dispatch("sleep 303");
            // its process started, not only its status saved: a stop in between would start nothing
            harness.await(() -> harness.processes.startedIds().size() == 1, () -> "the first task to run");

            harness.type("\u0004");
            harness.awaitScreen("1 process task still running and 1 task waiting to start. Leave it running"
                    + " (the next start picks it up) or stop it? [L/s] ");
            harness.type("s\r");
            harness.awaitEnd();

            assertThat(harness.store.find(running.id()).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(harness.store.find(waiting.id()).orElseThrow().status()).isEqualTo(TaskStatus.DISPATCHED);
            assertThat(harness.processes.startedIds()).containsExactly(running.id());
            assertThat(harness.screen()).contains("Cancelled task abc12345.",
                    "The task waiting to start stays waiting for the next start.");
        }
    }

    @Test
    void leavingWithOnlyWaitingTasksAsksNothingAndSaysTheyWait() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, "abc12345").start()) {
            // held as a leaving console holds it: the task stays waiting
            harness.engine.holdQueue();
            Task waiting = harness.dispatch("sleep 100");

            harness.type("\u0004");
            harness.awaitEnd();

            assertThat(harness.screen()).doesNotContain("[L/s]")
                    .contains("The task waiting to start stays waiting for the next start.");
            assertThat(harness.store.find(waiting.id()).orElseThrow().status()).isEqualTo(TaskStatus.DISPATCHED);
            assertThat(harness.processes.startedIds()).isEmpty();
        }
    }

    @Test
    void ctrlCAtTheQuestionGoesBackToThePromptAndCtrlDThereLeavesThemRunning() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false, 1, "abc12345", "def67890").start()) {
            Task first = harness.dispatch("sleep 100");
            Task second = harness.dispatch("sleep 200");
            harness.await(() -> harness.engine.runningProcessTasks().size() == 1, () -> "the first task to run");
            harness.type("/exit\r");
            harness.awaitScreen("[L/s] ");
            int mark = harness.screen().length();

            harness.type("\u0003");

            harness.awaitScreenAfter(mark, "octo (1 running, 1 waiting)> ");
            assertThat(harness.running()).isTrue();
            // back at the prompt, nothing holds the queue: a freed worker takes the waiting task
            harness.processes.awaitProcess(first.id(), ConsoleHarness.PATIENCE).finish(0, "", "");
            harness.processes.awaitProcess(second.id(), ConsoleHarness.PATIENCE);
            harness.await(() -> harness.engine.runningProcessTasks().size() == 1, () -> "the second task to run");

            int again = harness.screen().length();
            harness.type("\u0004");
            harness.awaitScreenAfter(again, "1 process task still running. Leave it running");
            harness.type("\u0004");
            harness.awaitEnd();

            assertThat(harness.screen()).contains("Left it running.");
            assertThat(harness.store.find(second.id()).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(harness.processes.process(second.id()).orElseThrow().wasTerminated()).isFalse();
        }
    }

    @Test
    void exitOrQuitWithMoreAfterItIsAUsageErrorAndOctoStays() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false).start()) {
            harness.type("/exit now\r");
            harness.awaitScreen("Usage: /exit");
            harness.type("/QUIT please\r");
            harness.awaitScreen("Usage: /quit");

            assertThat(harness.running()).isTrue();
            assertThat(harness.screen()).doesNotContain("Unknown command");
            harness.type("/exit\r");
            harness.awaitEnd();
        }
    }

    @Test
    void endOfInputLeavesWithoutAQuestionWhenNothingRuns() throws Exception {
        try (ConsoleHarness harness = new ConsoleHarness(folder, false).start()) {
            harness.type("\u0004");
            harness.awaitEnd();

            assertThat(harness.screen()).doesNotContain("[L/s]");
        }
    }

    @Test
    void historyIsSavedAndComesBackOnTheNextRun() throws Exception {
        try (ConsoleHarness first = new ConsoleHarness(folder, false).start()) {
            first.type("/help\r");
            first.awaitScreen("Commands:");
            first.type("/tasks\r");
            first.awaitScreen("No tasks yet.");
            first.type("\u0004");
            first.awaitEnd();
            assertThat(first.history()).containsExactly("/help", "/tasks");
        }
        try (ConsoleHarness second = new ConsoleHarness(folder, false).start()) {
            second.type("\u0010\u0010\r"); // Ctrl-P twice: two lines back in history

            second.awaitScreen("Commands:");
        }
    }

    @Test
    void aNotificationBeforeTheConsoleRunsIsPrintedPlainly() throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (ConsoleHarness harness = new ConsoleHarness(folder, true);
                ExternalTerminal terminal = new ExternalTerminal("plain", "xterm-256color",
                        new ByteArrayInputStream(new byte[0]), screen, UTF_8)) {
            JLineConsole console = new JLineConsole(terminal, interpreterOf(harness),
                    harness.engine, harness.engine, harness.engine, folder.resolve("history"), false);

            console.notify(completed("abcd1234", "make", "ok"));

            assertThat(screen.toString(UTF_8)).isEqualTo("Task abcd1234 completed: make\r\n  ok\r\n");
        }
    }

    @Test
    void colourIsWantedOnlyOnARealTerminalWithoutNoColor() throws Exception {
        try (ExternalTerminal xterm = terminal("xterm-256color"); ExternalTerminal dumb = terminal("dumb");
                ExternalTerminal dumbColor = terminal("dumb-color")) {
            assertThat(JLineConsole.colorWanted(xterm, Map.of("TERM", "xterm-256color"))).isTrue();
            assertThat(JLineConsole.colorWanted(xterm, Map.of("NO_COLOR", ""))).isFalse();
            assertThat(JLineConsole.colorWanted(xterm, Map.of("NO_COLOR", "1"))).isFalse();
            assertThat(JLineConsole.colorWanted(dumb, Map.of())).isFalse();
            assertThat(JLineConsole.colorWanted(dumbColor, Map.of())).isFalse();
        }
    }

    private static ExternalTerminal terminal(String type) throws Exception {
        return new ExternalTerminal(type, type, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                UTF_8);
    }

    private static CommandInterpreter interpreterOf(ConsoleHarness harness) {
        return CommandInterpreter.over(harness.engine, new FakeAgentTranscripts(), new NoSupervisorChat(), Clock.systemUTC());
    }

    private Task running(String id, String command) {
        Instant at = Instant.parse("2025-01-01T10:00:00Z");
        Task task = Task.dispatch(TaskId.of(id), ProcessSpec.of(command, folder), at);
        return ((Transition.Applied) task.start(at)).task();
    }

    private Task paused(String id, String question) {
        Instant at = Instant.parse("2025-01-01T10:00:00Z");
        Task task = ((Transition.Applied) Task.dispatch(TaskId.of(id), AgentSpec.of("plan it", folder), at).start(at))
                .task();
        return ((Transition.Applied) task.pause(question, at, EscalationPolicy.DEFAULT)).task();
    }

    private TaskNotice completed(String id, String command, String result) {
        Task task = running(id, command);
        return TaskNotice.of(((Transition.Applied) task.complete(result, Instant.parse("2025-01-01T10:01:00Z"))).event());
    }
}
