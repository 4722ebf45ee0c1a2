package dev.octo.adapters.cli;

import dev.octo.application.fakes.FakeAgentTranscripts;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.octo.application.fakes.Eventually;
import dev.octo.application.fakes.FakeProcessRunner;
import dev.octo.application.fakes.InMemoryTaskStore;
import dev.octo.application.fakes.NoSupervisorChat;
import dev.octo.application.port.in.DispatchTask;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.out.AgentRunner;
import dev.octo.application.port.out.TaskIds;
import dev.octo.application.service.CommandInterpreter;
import dev.octo.application.service.EngineSettings;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jline.builtins.ScreenTerminal;
import org.jline.terminal.Size;
import org.jline.terminal.impl.ExternalTerminal;

/**
 * A {@link JLineConsole} on a pure-Java terminal, over a real {@link TaskEngine} with tasks in
 * memory and processes the test ends by hand. Keys typed go in through a pipe; everything the
 * console draws is kept to be searched.
 */
final class ConsoleHarness implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Pattern ESCAPE = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B[@-Z\\\\-_=>]");

    final InMemoryTaskStore store = new InMemoryTaskStore();
    final FakeProcessRunner processes = new FakeProcessRunner();
    final TaskEngine engine;
    final ExternalTerminal terminal;
    final JLineConsole console;
    final Path historyFile;

    private final PipedOutputStream keys = new PipedOutputStream();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Thread thread;

    ConsoleHarness(Path folder, boolean color, String... ids) throws IOException {
        this(folder, color, EngineSettings.DEFAULT_MAX_CONCURRENT, ids);
    }

    /** A harness whose engine runs at most {@code maxConcurrent} tasks at once. */
    ConsoleHarness(Path folder, boolean color, int maxConcurrent, String... ids) throws IOException {
        Deque<String> given = new ArrayDeque<>(List.of(ids));
        TaskIds taskIds = () -> TaskId.of(given.pop());
        AgentRunner noAgents = task -> new AgentRunner.Outcome.Failed("no agents in this test");
        engine = new TaskEngine(store, taskIds, Clock.systemUTC(), processes, noAgents,
                EngineSettings.defaults(folder).withMaxConcurrent(maxConcurrent));
        CommandInterpreter interpreter = CommandInterpreter.over(engine, new FakeAgentTranscripts(), new NoSupervisorChat(), Clock.systemUTC());
        terminal = new ExternalTerminal("test", "xterm-256color", new PipedInputStream(keys, 1 << 16), screen, UTF_8);
        terminal.setSize(new Size(100, 30));
        historyFile = folder.resolve("state").resolve("history");
        console = new JLineConsole(terminal, interpreter, engine, engine, engine, historyFile, color);
        engine.register(console);
        engine.start();
    }

    /** Runs the console on a thread of its own and waits for its first prompt. */
    ConsoleHarness start() {
        thread = new Thread(() -> {
            try {
                console.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "console-under-test");
        thread.setDaemon(true);
        thread.start();
        awaitScreen("octo");
        return this;
    }

    Task dispatch(String command) {
        TaskOutcome outcome = engine.dispatch(DispatchTask.Process.of(command, Optional.empty()));
        return ((TaskOutcome.Done) outcome).task();
    }

    void type(String text) {
        try {
            keys.write(text.getBytes(UTF_8));
            keys.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything drawn so far, with escape sequences and carriage returns taken out. */
    String screen() {
        return ESCAPE.matcher(rawScreen()).replaceAll("").replace("\r", "");
    }

    String rawScreen() {
        return screen.toString(UTF_8);
    }

    /** Waits until the screen shows {@code text}; fails with what it shows after {@link #PATIENCE}. */
    void awaitScreen(String text) {
        await(() -> screen().contains(text), () -> "the screen to show '" + text + "'");
    }

    /**
     * The line the cursor is on, as a terminal shows it: the output played on an emulated terminal
     * of the same width, so that a redraw that rewrites only what changed counts as what it shows.
     */
    String cursorLine() {
        ScreenTerminal emulated = new ScreenTerminal(100, 30);
        emulated.write(rawScreen());
        int[] cursor = new int[2]; // column, row
        emulated.dump(new long[100 * 30], 0, 0, 30, 100, cursor);
        String[] lines = emulated.toString().split("\n", -1);
        return cursor[1] < lines.length ? lines[cursor[1]].stripTrailing() : "";
    }

    /** Waits until the line the cursor is on shows {@code text} (see {@link #cursorLine()}). */
    void awaitCursorLine(String text) {
        await(() -> cursorLine().contains(text),
                () -> "the cursor's line to show '" + text + "', not '" + cursorLine() + "'");
    }

    /** Waits until the screen shows {@code text} after what it showed at {@code mark}. */
    void awaitScreenAfter(int mark, String text) {
        await(() -> screen().indexOf(text, mark) >= 0, () -> "the screen to show '" + text + "' after " + mark);
    }

    void await(BooleanSupplier condition, Supplier<String> what) {
        Eventually.await(() -> what.get() + ". The screen:\n" + screen(), PATIENCE, condition);
    }

    /** Waits until {@link JLineConsole#run()} has returned, and rethrows what it threw. */
    void awaitEnd() throws InterruptedException {
        thread.join(PATIENCE.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("the console did not end. The screen:\n" + screen());
        }
        if (failure.get() != null) {
            throw new AssertionError("the console failed", failure.get());
        }
    }

    boolean running() {
        return thread.isAlive();
    }

    /** The lines of the history file, without the time each was typed. */
    List<String> history() throws IOException {
        return Files.readAllLines(historyFile, UTF_8).stream().map(line -> line.replaceFirst("^\\d+:", "")).toList();
    }

    @Override
    public void close() throws Exception {
        try {
            keys.close();
            if (thread != null) {
                thread.join(PATIENCE.toMillis());
            }
        } finally {
            engine.close();
            terminal.close();
        }
    }
}
