package dev.octo.adapters.cli;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.CancelTaskUseCase;
import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.out.Notifier;
import dev.octo.application.service.CommandInterpreter;
import dev.octo.application.service.EventText;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEvent;
import dev.octo.domain.TaskStatus;
import java.io.IOError;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * The interactive terminal front end: a line editor with history and Tab completion, a prompt that
 * counts running and paused tasks, task tables drawn to the terminal's width, and notifications
 * printed above the prompt without disturbing a half-typed line.
 *
 * <p>Ctrl-C clears the line being typed, or stops a command that blocks ({@code /wait}); Ctrl-D on
 * an empty line, {@code /exit} or {@code /quit} end {@link #run()}. A console built on a given
 * terminal does not own it: whoever built it closes it; one built by
 * {@link #onSystemTerminal} closes its terminal on {@link #close()}.
 */
public final class JLineConsole implements Notifier, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(JLineConsole.class.getName());
    private static final AttributedStyle RED = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);

    private final Terminal terminal;
    private final CommandInterpreter interpreter;
    private final TaskQueries queries;
    private final CancelTaskUseCase cancel;
    private final Supplier<List<Task>> runningProcessTasks;
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

    /**
     * @param runningProcessTasks the process tasks whose commands run now, asked on leaving
     * @param historyFile where typed lines are kept between runs; its folder is created if missing
     * @param color whether to use colour; see {@link #colorWanted(Terminal)}
     */
    public JLineConsole(Terminal terminal, CommandInterpreter interpreter, TaskQueries queries,
            CancelTaskUseCase cancel, Supplier<List<Task>> runningProcessTasks, Path historyFile, boolean color) {
        this(terminal, interpreter, queries, cancel, runningProcessTasks, historyFile, color, false);
    }

    private JLineConsole(Terminal terminal, CommandInterpreter interpreter, TaskQueries queries,
            CancelTaskUseCase cancel, Supplier<List<Task>> runningProcessTasks, Path historyFile, boolean color,
            boolean ownsTerminal) {
        this.ownsTerminal = ownsTerminal;
        this.terminal = requireNonNull(terminal, "terminal is null");
        this.interpreter = requireNonNull(interpreter, "interpreter is null");
        this.queries = requireNonNull(queries, "queries is null");
        this.cancel = requireNonNull(cancel, "cancel is null");
        this.runningProcessTasks = requireNonNull(runningProcessTasks, "runningProcessTasks is null");
        this.historyFile = requireNonNull(historyFile, "historyFile is null");
        this.color = color;
    }

    /**
     * A console on the terminal Octo runs in, with colour unless {@code NO_COLOR} is set; it closes
     * that terminal on {@link #close()}.
     */
    public static JLineConsole onSystemTerminal(CommandInterpreter interpreter, TaskQueries queries,
            CancelTaskUseCase cancel, Supplier<List<Task>> runningProcessTasks, Path historyFile) throws IOException {
        Terminal terminal = systemTerminal();
        return new JLineConsole(terminal, interpreter, queries, cancel, runningProcessTasks, historyFile,
                colorWanted(terminal), true);
    }

    /** Prints one line of text for the user, above the prompt while one is shown. */
    public void println(String text) {
        LineReader current = reader;
        if (current != null) {
            current.printAbove(text);
        } else {
            synchronized (plainOutput) {
                terminal.writer().println(text);
                terminal.writer().flush();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (ownsTerminal) {
            terminal.close();
        }
    }

    /**
     * The terminal Octo runs in. Falls back quietly to a dumb terminal when there is no real one;
     * on JDK 22 and later the native provider wants {@code --enable-native-access=ALL-UNNAMED}.
     */
    public static Terminal systemTerminal() throws IOException {
        return TerminalBuilder.builder().name("octo").system(true).dumb(true).build();
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
     * Reads and answers commands until the user leaves, then asks what to do with process tasks
     * that still run. History is loaded at the start and saved at the end.
     */
    public void run() {
        LineReader lineReader = newReader();
        Thread loop = Thread.currentThread();
        // outside readLine (which handles Ctrl-C itself) Ctrl-C stops the command being answered
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> {
            if (busy) {
                loop.interrupt();
            }
        });
        reader = lineReader;
        try {
            readCommands(lineReader);
            askAboutRunningProcesses(lineReader);
        } finally {
            reader = null;
            terminal.handle(Terminal.Signal.INT, previous);
            saveHistory(lineReader);
        }
    }

    @Override
    public void notify(TaskEvent event) {
        Optional<String> text = EventText.notification(event);
        if (text.isEmpty()) {
            return;
        }
        AttributedStyle style = switch (event) {
            case TaskEvent.Completed completed -> AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
            case TaskEvent.Failed failed -> RED;
            case TaskEvent.Paused paused -> AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
            case TaskEvent.Cancelled cancelled -> AttributedStyle.DEFAULT.faint();
            case TaskEvent.Dispatched dispatched -> AttributedStyle.DEFAULT;
            case TaskEvent.Started started -> AttributedStyle.DEFAULT;
            case TaskEvent.Resumed resumed -> AttributedStyle.DEFAULT;
        };
        // the counts in the prompt changed: the redraw after printAbove shows the new ones
        if (atCommandPrompt && reader instanceof LineReaderImpl impl && impl.isReading()) {
            impl.setPrompt(prompt());
        }
        print(new AttributedString(text.get(), style));
    }

    @Override
    public void notifyProblem(String message) {
        print(new AttributedString(message, RED));
    }

    private LineReader newReader() {
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
                .completer(new CommandCompleter(queries))
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
                    line = lineReader.readLine(prompt());
                } catch (UserInterruptException e) {
                    Thread.interrupted(); // the Ctrl-C is spent: the next readLine must not see it again
                    continue;
                } catch (EndOfFileException e) {
                    return;
                } catch (IOError e) {
                    LOG.log(Level.WARNING, "the terminal failed; leaving", e);
                    return;
                }
                String command = line.strip().toLowerCase(Locale.ROOT);
                if (command.equals("/exit") || command.equals("/quit")) {
                    return;
                }
                if (!command.isEmpty()) {
                    show(answer(line));
                }
            }
        } finally {
            atCommandPrompt = false;
        }
    }

    private Reply answer(String line) {
        busy = true;
        try {
            return interpreter.handle(PlainConsole.CHANNEL, line);
        } finally {
            busy = false;
            Thread.interrupted(); // a Ctrl-C meant for this command must not reach the next readLine
        }
    }

    private void askAboutRunningProcesses(LineReader lineReader) {
        List<Task> running = runningProcessTasks.get();
        if (running.isEmpty()) {
            return;
        }
        boolean one = running.size() == 1;
        String question = running.size() + (one ? " process task still running. Leave it running (the next start"
                + " picks it up) or stop it? [L/s] " : " process tasks still running. Leave them running (the next"
                + " start picks them up) or stop them? [L/s] ");
        lineReader.setVariable(LineReader.DISABLE_HISTORY, true);
        lineReader.setVariable(LineReader.DISABLE_COMPLETION, true);
        while (true) {
            String answer;
            try {
                answer = lineReader.readLine(question).strip().toLowerCase(Locale.ROOT);
            } catch (UserInterruptException | EndOfFileException | IOError e) {
                answer = ""; // leaving them is the choice that loses nothing
            }
            switch (answer) {
                case "", "l", "leave" -> {
                    print(new AttributedString(one ? "Left it running." : "Left them running."));
                    return;
                }
                case "s", "stop" -> {
                    for (Task task : running) {
                        print(switch (cancel.cancel(task.id())) {
                            case TaskOutcome.Done done -> new AttributedString(done.message());
                            case TaskOutcome.Rejected rejected -> new AttributedString(rejected.message(), RED);
                        });
                    }
                    return;
                }
                default -> print(new AttributedString("Type l (or just Enter) to leave, s to stop."));
            }
        }
    }

    private String prompt() {
        int running = queries.list(Optional.of(TaskStatus.RUNNING)).size();
        int paused = queries.list(Optional.of(TaskStatus.PAUSED)).size();
        if (running == 0 && paused == 0) {
            return "octo> ";
        }
        String counts = running == 0 ? paused + " paused"
                : paused == 0 ? running + " running"
                : running + " running, " + paused + " paused";
        return "octo (" + counts + ")> ";
    }

    private void show(Reply reply) {
        if (!reply.tasks().isEmpty()) {
            print(AttributedString.join(AttributedString.NEWLINE,
                    TaskTable.render(reply.tasks(), terminal.getWidth(), color)));
        } else {
            print(new AttributedString(reply.text(), reply.error() ? RED : AttributedStyle.DEFAULT));
        }
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
