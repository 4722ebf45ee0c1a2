package dev.octo.adapters.cli;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.CancelTaskUseCase;
import dev.octo.application.port.in.HoldQueueUseCase;
import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.ReplyText;
import dev.octo.application.port.in.TaskNotice;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.out.Notifier;
import dev.octo.domain.Task;
import dev.octo.domain.TaskStatus;
import java.io.IOError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Terminal;
import org.jline.terminal.Size;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * The interactive terminal front end: a line editor with history and Tab completion, a prompt that
 * counts running, waiting and paused tasks, task tables drawn to the terminal's width, and
 * notifications printed above the prompt without disturbing a half-typed line. All text it prints
 * has its control characters made visible ({@link TerminalText#neutralize}) before it is styled, so
 * that only Octo's own escape sequences reach the terminal.
 *
 * <p>Ctrl-C clears the line being typed, or stops a command that blocks ({@code /wait}); Ctrl-D on
 * an empty line, {@code /exit} or {@code /quit} leave: from then on no waiting task starts, and if
 * process tasks still run the user is asked whether to leave them running or stop them (Ctrl-C at
 * that question goes back to the prompt). A console built on a given
 * terminal does not own it: whoever built it closes it; one built by
 * {@link #onSystemTerminal} closes its terminal on {@link #close()}.
 *
 * <p>At start the system terminal and its line editor are opened on a thread of their own
 * ({@link #openSystemTerminal}) while the rest of the application is wired: both take a good part of
 * the time to the first prompt.
 */
public final class JLineConsole implements Notifier, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(JLineConsole.class.getName());
    private static final AttributedStyle RED = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
    private static final AttributedStyle YELLOW = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);

    private final Terminal terminal;
    private final InterpretCommandUseCase interpreter;
    private final TaskQueries queries;
    private final CancelTaskUseCase cancel;
    private final HoldQueueUseCase queue;
    private final Path historyFile;
    private final boolean color;
    private final boolean ownsTerminal;
    private final Object plainOutput = new Object();

    /** Set while {@link #run()} runs; notifications go above its prompt. */
    private volatile LineReader reader;
    /** Whether the reader shows the command prompt (and not the question asked on leaving). */
    private volatile boolean atCommandPrompt;
    /** Whether a command is being answered, so that Ctrl-C should stop it. */
    private volatile boolean busy;
    /** The command prompt last given to the reader, to redraw it only when its counts change. */
    private volatile String shownPrompt = "";
    /** The line editor built while the application was wired, taken by the first {@link #run()}. */
    private LineReader prepared;

    /**
     * @param queue held from the moment the user leaves, so that no waiting task starts meanwhile
     * @param historyFile where typed lines are kept between runs; its folder is created if missing
     * @param color whether to use colour; see {@link #colorWanted(Terminal)}
     */
    public JLineConsole(Terminal terminal, InterpretCommandUseCase interpreter, TaskQueries queries,
            CancelTaskUseCase cancel, HoldQueueUseCase queue,
            Path historyFile, boolean color) {
        this(terminal, interpreter, queries, cancel, queue, historyFile, color, false);
    }

    private JLineConsole(Terminal terminal, InterpretCommandUseCase interpreter, TaskQueries queries,
            CancelTaskUseCase cancel, HoldQueueUseCase queue,
            Path historyFile, boolean color, boolean ownsTerminal) {
        this.ownsTerminal = ownsTerminal;
        this.terminal = requireNonNull(terminal, "terminal is null");
        this.interpreter = requireNonNull(interpreter, "interpreter is null");
        this.queries = requireNonNull(queries, "queries is null");
        this.cancel = requireNonNull(cancel, "cancel is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.historyFile = requireNonNull(historyFile, "historyFile is null");
        this.color = color;
    }

    /**
     * A console on the terminal Octo runs in, which {@code opening} opened, with the line editor it
     * built; colour unless {@code NO_COLOR} is set. The console closes that terminal on {@link #close()}.
     *
     * @throws IOException when the terminal could not be opened
     */
    public static JLineConsole onSystemTerminal(Opening opening, InterpretCommandUseCase interpreter,
            TaskQueries queries, CancelTaskUseCase cancel, HoldQueueUseCase queue) throws IOException {
        Opened opened = opening.take();
        JLineConsole console = new JLineConsole(opened.terminal(), interpreter, queries, cancel, queue,
                opening.historyFile, colorWanted(opened.terminal()), true);
        console.prepared = opened.reader();
        return console;
    }

    /**
     * Starts opening the terminal Octo runs in, and its line editor with the history of
     * {@code historyFile}, on a thread of their own; {@link #onSystemTerminal} waits for them.
     */
    public static Opening openSystemTerminal(Path historyFile) {
        return open(JLineConsole::systemTerminal, historyFile);
    }

    /**
     * As {@link #openSystemTerminal}, a terminal of 120 columns that reads what is typed from
     * {@code in} and draws on {@code out}, as an xterm: a start rehearsed without a person draws its
     * prompt and reads its commands with the same code.
     */
    public static Opening openTerminal(InputStream in, OutputStream out, Path historyFile) {
        return open(() -> TerminalBuilder.builder().name("octo").system(false).streams(in, out)
                .type("xterm-256color").size(new Size(120, 40)).build(), historyFile);
    }

    private interface TerminalSource {
        Terminal open() throws IOException;
    }

    private static Opening open(TerminalSource source, Path historyFile) {
        Opening opening = new Opening(historyFile);
        Thread.ofPlatform().daemon().name("octo-terminal").start(() -> {
            try {
                Terminal terminal = source.open();
                try {
                    opening.opened.complete(new Opened(terminal, newReader(terminal, historyFile)));
                } catch (RuntimeException | Error e) {
                    terminal.close();
                    throw e;
                }
            } catch (IOException | RuntimeException | Error e) {
                opening.opened.completeExceptionally(e);
            }
        });
        return opening;
    }

    private record Opened(Terminal terminal, LineReader reader) {
    }

    /**
     * The system terminal and its line editor, being opened; closing it closes a terminal that no
     * console took (the start failed, or it attaches to a running Octo instead).
     */
    public static final class Opening implements AutoCloseable {

        private final Path historyFile;
        private final CompletableFuture<Opened> opened = new CompletableFuture<>();
        private boolean taken;

        private Opening(Path historyFile) {
            this.historyFile = requireNonNull(historyFile, "historyFile is null");
        }

        private synchronized Opened take() throws IOException {
            if (taken) {
                throw new IllegalStateException("the terminal was already given to a console");
            }
            try {
                Opened result = opened.get();
                taken = true;
                return result;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the terminal opened", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }

        @Override
        public synchronized void close() throws IOException {
            if (!taken) {
                taken = true;
                try {
                    opened.get().terminal().close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    // nothing was opened
                }
            }
        }
    }

    /** Prints one line of text for the user, above the prompt while one is shown. */
    public void println(String text) {
        print(styled(text, AttributedStyle.DEFAULT));
    }

    @Override
    public void close() throws IOException {
        if (ownsTerminal) {
            terminal.close();
        }
    }

    /**
     * The terminal Octo runs in, through JLine's JNI provider when it works, and otherwise through
     * any provider that does; falls back quietly to a dumb terminal when there is no real one. JLine
     * loads and asks every provider it may use, and its FFM provider links a dozen C functions when
     * asked: about a tenth of a second of the start, against a few milliseconds for the JNI library.
     * On JDK 22 and later the native providers want {@code --enable-native-access=ALL-UNNAMED}.
     */
    public static Terminal systemTerminal() throws IOException {
        try {
            return TerminalBuilder.builder().name("octo").system(true).dumb(false)
                    .ffm(false).jansi(false).jna(false).exec(false).build();
        } catch (IllegalStateException | IOException | LinkageError jniCannot) {
            return TerminalBuilder.builder().name("octo").system(true).dumb(true).build();
        }
    }

    /** Colour unless {@code NO_COLOR} is set (to anything) or the terminal is dumb. */
    public static boolean colorWanted(Terminal terminal) {
        return colorWanted(terminal, System.getenv());
    }

    static boolean colorWanted(Terminal terminal, Map<String, String> environment) {
        // "dumb-color" too: JLine picks it for consoles it cannot drive, where escapes may be shown raw
        boolean dumb = terminal.getType() == null || terminal.getType().startsWith(Terminal.TYPE_DUMB);
        return !environment.containsKey("NO_COLOR") && !dumb;
    }

    /**
     * Reads and answers commands until the user leaves, asking on the way out what to do with
     * process tasks that still run. History is loaded at the start and saved at the end.
     */
    public void run() {
        LineReader lineReader;
        if (prepared != null) {
            lineReader = prepared;
            prepared = null;
        } else {
            lineReader = newReader(terminal, historyFile);
        }
        if (lineReader instanceof LineReaderImpl impl) {
            impl.setCompleter(new CommandCompleter(queries));
        }
        Thread loop = Thread.currentThread();
        // outside readLine (which handles Ctrl-C itself) Ctrl-C stops the command being answered
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> {
            if (busy) {
                loop.interrupt();
            }
        });
        reader = lineReader;
        try {
            do {
                readCommands(lineReader);
            } while (!leave(lineReader));
        } finally {
            reader = null;
            terminal.handle(Terminal.Signal.INT, previous);
            saveHistory(lineReader);
        }
    }

    @Override
    public void notify(TaskNotice notice) {
        Optional<String> text = ReplyText.notification(notice, PlainConsole.CHANNEL);
        if (text.isEmpty()) {
            // a task started or was queued: the counts in the prompt may have changed
            redrawPromptIfChanged();
            return;
        }
        AttributedStyle style = switch (notice.type()) {
            case COMPLETED -> AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
            case FAILED -> RED;
            case PAUSED -> YELLOW;
            case CANCELLED -> AttributedStyle.DEFAULT.faint();
            case DISPATCHED, STARTED, RESUMED -> AttributedStyle.DEFAULT;
        };
        // the counts in the prompt changed: the redraw after printAbove shows the new ones
        if (atCommandPrompt && reader instanceof LineReaderImpl impl && impl.isReading()) {
            impl.setPrompt(shownPrompt = prompt());
        }
        print(styled(text.get(), style));
    }

    private void redrawPromptIfChanged() {
        if (!(atCommandPrompt && reader instanceof LineReaderImpl impl && impl.isReading())) {
            return;
        }
        String prompt = prompt();
        if (prompt.equals(shownPrompt)) {
            return;
        }
        impl.setPrompt(shownPrompt = prompt);
        try {
            // REDISPLAY alone: it compares with what is on screen, so a shorter prompt leaves no tail
            // (REDRAW_LINE first would forget the screen, and the end of the longer prompt stayed)
            impl.callWidget(LineReader.REDISPLAY);
        } catch (IllegalStateException notReading) {
            // the line was just entered: the next prompt is drawn with the new counts anyway
        }
    }

    @Override
    public void notifyProblem(String message) {
        print(styled(message, RED));
    }

    /** A line editor on {@code terminal}; its completer is set when it is used. */
    private static LineReader newReader(Terminal terminal, Path historyFile) {
        Path folder = historyFile.toAbsolutePath().getParent();
        try {
            if (folder != null) {
                Files.createDirectories(folder);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot create the folder of the history file " + historyFile, e);
        }
        return LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("octo")
                .history(new DefaultHistory())
                .variable(LineReader.HISTORY_FILE, historyFile)
                // commands are shell text: "!" and "\" must reach the interpreter as typed
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
    }

    private void readCommands(LineReader lineReader) {
        atCommandPrompt = true;
        try {
            while (true) {
                String line;
                try {
                    line = lineReader.readLine(shownPrompt = prompt());
                } catch (UserInterruptException e) {
                    Thread.interrupted(); // the Ctrl-C is spent: the next readLine must not see it again
                    continue;
                } catch (EndOfFileException e) {
                    return;
                } catch (IOError e) {
                    LOG.log(Level.WARNING, "the terminal failed; leaving", e);
                    return;
                }
                switch (LeaveCommand.of(line)) {
                    case LEAVE -> {
                        return;
                    }
                    case MISUSED -> print(styled(LeaveCommand.usage(line), RED));
                    case NONE -> {
                        if (!line.isBlank()) {
                            show(answer(line));
                        }
                    }
                }
            }
        } finally {
            atCommandPrompt = false;
        }
    }

    private Reply answer(String line) {
        busy = true;
        try {
            return interpreter.handle(PlainConsole.CHANNEL, line, text -> print(styled(text, AttributedStyle.DEFAULT)));
        } finally {
            busy = false;
            Thread.interrupted(); // a Ctrl-C meant for this command must not reach the next readLine
        }
    }

    /**
     * Leaves: from now on no waiting task starts; if process tasks still run, asks whether to leave
     * them running or stop them. Waiting tasks stay waiting for the next start either way.
     *
     * @return whether to leave; false when the user pressed Ctrl-C at the question, to go back
     */
    private boolean leave(LineReader lineReader) {
        queue.holdQueue();
        List<Task> running = queries.runningProcessTasks();
        int waiting = waitingCount();
        if (running.isEmpty()) {
            if (waiting > 0) {
                print(styled(waitingNote(waiting), AttributedStyle.DEFAULT));
            }
            return true;
        }
        boolean one = running.size() == 1;
        String question = running.size() + (one ? " process task still running" : " process tasks still running")
                + (waiting == 0 ? "" : waiting == 1 ? " and 1 task waiting to start"
                        : " and " + waiting + " tasks waiting to start")
                + (one ? ". Leave it running (the next start picks it up) or stop it? [L/s] "
                        : ". Leave them running (the next start picks them up) or stop them? [L/s] ");
        lineReader.setVariable(LineReader.DISABLE_HISTORY, true);
        lineReader.setVariable(LineReader.DISABLE_COMPLETION, true);
        while (true) {
            String answer;
            try {
                answer = lineReader.readLine(question).strip().toLowerCase(Locale.ROOT);
            } catch (UserInterruptException e) {
                // Ctrl-C takes the question back: the user stays, and waiting tasks may start again
                Thread.interrupted();
                lineReader.setVariable(LineReader.DISABLE_HISTORY, false);
                lineReader.setVariable(LineReader.DISABLE_COMPLETION, false);
                queue.releaseQueue();
                return false;
            } catch (EndOfFileException | IOError e) {
                answer = ""; // leaving them is the choice that loses nothing
            }
            switch (answer) {
                case "", "l", "leave" -> {
                    print(styled(one ? "Left it running." : "Left them running.", AttributedStyle.DEFAULT));
                    if (waiting > 0) {
                        print(styled(waitingNote(waiting), AttributedStyle.DEFAULT));
                    }
                    return true;
                }
                case "s", "stop" -> {
                    for (Task task : running) {
                        print(switch (cancel.cancel(task.id(), PlainConsole.CHANNEL)) {
                            case TaskOutcome.Done done -> styled(done.message(), AttributedStyle.DEFAULT);
                            case TaskOutcome.Rejected rejected -> styled(rejected.message(), RED);
                        });
                    }
                    if (waiting > 0) {
                        print(styled(waitingNote(waiting), AttributedStyle.DEFAULT));
                    }
                    return true;
                }
                default -> print(styled("Type l (or just Enter) to leave, s to stop.", AttributedStyle.DEFAULT));
            }
        }
    }

    /** Tasks that wait for a worker: DISPATCHED, or RESUMED after an answer. */
    private int waitingCount() {
        return waitingIn(queries.unfinishedCounts());
    }

    private static int waitingIn(Map<TaskStatus, Integer> byStatus) {
        return byStatus.get(TaskStatus.DISPATCHED) + byStatus.get(TaskStatus.RESUMED);
    }

    private static String waitingNote(int waiting) {
        return waiting == 1 ? "The task waiting to start stays waiting for the next start."
                : "The " + waiting + " tasks waiting to start stay waiting for the next start.";
    }

    /** "octo> ", or with what is not final: "octo (2 running, 3 waiting, 1 paused)> ". */
    private String prompt() {
        // drawn on every notification: counted, not listed, so that many stored tasks cost little
        Map<TaskStatus, Integer> byStatus = queries.unfinishedCounts();
        return prompt(byStatus.get(TaskStatus.RUNNING), waitingIn(byStatus), byStatus.get(TaskStatus.PAUSED));
    }

    /**
     * "octo> ", or with what is not final: "octo (2 running, 3 waiting, 1 paused)> ". An attached
     * terminal draws the counts of the Octo it is attached to with it too.
     */
    public static String prompt(long running, long waiting, long paused) {
        List<String> counts = new ArrayList<>(3);
        if (running > 0) {
            counts.add(running + " running");
        }
        if (waiting > 0) {
            counts.add(waiting + " waiting");
        }
        if (paused > 0) {
            counts.add(paused + " paused");
        }
        return counts.isEmpty() ? "octo> " : "octo (" + String.join(", ", counts) + ")> ";
    }

    private void show(Reply reply) {
        switch (reply) {
            case Reply.Tasks tasks when !tasks.rows().isEmpty() -> {
                List<AttributedString> lines = new ArrayList<>(TaskTable.render(tasks.rows(), terminal.getWidth(), color));
                ReplyText.olderLine(tasks).ifPresent(line -> lines.add(styled(line, AttributedStyle.DEFAULT)));
                print(AttributedString.join(AttributedString.NEWLINE, lines));
            }
            case Reply.Error error -> print(styled(ReplyText.render(error), RED));
            case Reply.Question question -> print(styled(ReplyText.render(question), YELLOW));
            case Reply.Tasks tasks -> print(styled(ReplyText.render(tasks), AttributedStyle.DEFAULT));
            case Reply.Text text when text.text().isEmpty() -> {
                // all of it was shown as it came (a streamed answer)
            }
            case Reply.Text text -> print(styled(ReplyText.render(text), AttributedStyle.DEFAULT));
            case Reply.Detail detail -> print(styled(ReplyText.render(detail), AttributedStyle.DEFAULT));
            case Reply.Leave leave -> print(styled(ReplyText.render(leave), AttributedStyle.DEFAULT));
        }
    }

    /** {@code text}, which may come from a task or a user, made safe to print, in {@code style}. */
    private static AttributedString styled(String text, AttributedStyle style) {
        return new AttributedString(TerminalText.neutralize(text), style);
    }

    /** Above the prompt while the reader runs, as a plain line otherwise; styles only with colour. */
    private void print(AttributedString text) {
        String out = color ? text.toAnsi(terminal) : text.toString();
        LineReader current = reader;
        if (current != null) {
            current.printAbove(out);
            return;
        }
        synchronized (plainOutput) {
            terminal.writer().println(out);
            terminal.writer().flush();
        }
    }

    private void saveHistory(LineReader lineReader) {
        try {
            lineReader.getHistory().save();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot save the command history to " + historyFile, e);
        }
    }
}
