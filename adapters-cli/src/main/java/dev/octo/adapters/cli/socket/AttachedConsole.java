package dev.octo.adapters.cli.socket;

import static java.util.Objects.requireNonNull;

import dev.octo.adapters.cli.JLineConsole;
import dev.octo.adapters.cli.TerminalText;
import dev.octo.adapters.cli.socket.SocketClient.ServerMessage;
import dev.octo.application.port.in.CommandCatalogue;
import java.io.BufferedReader;
import java.io.IOError;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Terminal;

/**
 * A terminal attached to the Octo that runs the tasks, over its socket: lines typed here run there,
 * and every notification of that Octo shows here, above the prompt. Leaving stops nothing: the
 * question about running tasks belongs to the terminal that owns the engine. When the serving Octo
 * goes away, the console says so in one line and ends with a failure.
 */
public final class AttachedConsole {

    private static final Logger LOG = System.getLogger(AttachedConsole.class.getName());
    /** How the console ends. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_REFUSED = 1;
    public static final int EXIT_SERVER_GONE = 1;

    private final SocketClient client;
    private final String serverGoneNote;
    private final Runnable whenServerGone;
    private final BlockingQueue<ServerMessage> answers = new LinkedBlockingQueue<>();
    /** Ids of tasks this console heard of, for completion. */
    private final Set<String> taskIds = ConcurrentHashMap.newKeySet();
    private final Object output = new Object();
    private volatile LineReader reader;
    private volatile boolean serverGone;
    /**
     * Set once this console leaves ({@code /exit}, or the end of its input): the connection closes
     * then because it left, which is no news of the serving Octo.
     */
    private volatile boolean leaving;
    /** The prompt with the serving Octo's counts, as its own terminal shows them. */
    private volatile String prompt = "octo> ";
    private PrintStream out;
    private PrintStream err;

    /**
     * @param serverGoneNote the one line shown when the serving Octo goes away
     * @param whenServerGone what to do then, besides saying so (a program ends itself there, as its
     *     input may be blocked in a read); a test passes nothing to do
     */
    public AttachedConsole(SocketClient client, String serverGoneNote, Runnable whenServerGone) {
        this.client = requireNonNull(client, "client is null");
        this.serverGoneNote = requireNonNull(serverGoneNote, "serverGoneNote is null");
        this.whenServerGone = requireNonNull(whenServerGone, "whenServerGone is null");
    }

    /** Reads lines from a script until end of input or {@code /exit}; replies to {@code out}, refusals to {@code err}. */
    public int runPlain(BufferedReader in, PrintStream out, PrintStream err) throws IOException {
        this.out = out;
        this.err = err;
        startReceiving();
        try {
            boolean allAccepted = true;
            String line;
            while (!serverGone && (line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                ServerMessage answer = ask(line);
                if (answer == null) {
                    break;
                }
                if (answer.field("reply").equals("leave")) {
                    return allAccepted ? EXIT_OK : EXIT_REFUSED;
                }
                if (isRefusal(answer)) {
                    allAccepted = false;
                    print(err, answer.text());
                } else if (!answer.text().isEmpty()) {
                    print(out, answer.text());
                }
            }
            if (serverGone) {
                return EXIT_SERVER_GONE;
            }
            return allAccepted ? EXIT_OK : EXIT_REFUSED;
        } finally {
            leaving = true;
        }
    }

    /** Runs a prompt on the terminal Octo runs in, as {@link #runOnTerminal}. */
    public int runOnSystemTerminal(Path historyFile) throws IOException {
        try (Terminal terminal = JLineConsole.systemTerminal()) {
            return runOnTerminal(terminal, historyFile);
        }
    }

    /** Runs a prompt on {@code terminal} with completion and history until {@code /exit} or Ctrl-D. */
    public int runOnTerminal(Terminal terminal, Path historyFile) {
        try {
            Files.createDirectories(historyFile.toAbsolutePath().getParent());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot create the folder of the history file " + historyFile, e);
        }
        LineReader lineReader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("octo")
                .history(new DefaultHistory())
                .variable(LineReader.HISTORY_FILE, historyFile)
                .completer(completer())
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
        this.out = new PrintStream(terminal.output(), true);
        this.err = out;
        reader = lineReader;
        startReceiving();
        try {
            while (!serverGone) {
                String line;
                try {
                    line = lineReader.readLine(prompt);
                } catch (UserInterruptException e) {
                    Thread.interrupted();
                    continue;
                } catch (EndOfFileException e) {
                    return EXIT_OK;
                } catch (IOError e) {
                    return serverGone ? EXIT_SERVER_GONE : EXIT_OK;
                }
                if (line.isBlank()) {
                    continue;
                }
                ServerMessage answer = ask(line);
                if (answer == null) {
                    break;
                }
                if (answer.field("reply").equals("leave")) {
                    return EXIT_OK;
                }
                if (!answer.text().isEmpty()) {
                    print(out, answer.text());
                }
            }
            return EXIT_SERVER_GONE;
        } finally {
            leaving = true;
            reader = null;
            try {
                lineReader.getHistory().save();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot save the command history to " + historyFile, e);
            }
        }
    }

    private Completer completer() {
        return (lineReader, line, candidates) -> {
            List<String> words = line.words();
            if (line.wordIndex() == 0) {
                CommandCatalogue.commandWords().forEach(word -> candidates.add(new Candidate(word)));
            } else if (line.wordIndex() == 1 && words.getFirst().equals("/task")) {
                taskIds.forEach(id -> candidates.add(new Candidate(id)));
            } else if (line.wordIndex() == 2 && words.getFirst().equals("/task")) {
                CommandCatalogue.taskSubcommandWords().forEach(word -> candidates.add(new Candidate(word)));
            }
        };
    }

    /** Sends one line and returns its answer, showing progress meanwhile; null when the server is gone. */
    private ServerMessage ask(String line) throws IOError {
        try {
            client.send(line);
            ServerMessage answer = answers.take();
            return answer.type().equals("gone") ? null : answer;
        } catch (IOException e) {
            serverGone();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void startReceiving() {
        Thread.ofPlatform().daemon().name("octo-attached").start(() -> {
            try {
                ServerMessage message;
                while ((message = client.receive()) != null) {
                    handle(message);
                }
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "The serving Octo's connection failed: " + e);
            }
            serverGone();
        });
    }

    private void handle(ServerMessage message) {
        switch (message.type()) {
            case "reply", "error" -> {
                if (message.field("reply").equals("leave")) {
                    // the serving Octo may close the connection before the console has read this answer
                    leaving = true;
                }
                rememberIds(message);
                answers.add(message);
            }
            case "progress" -> print(out, message.text());
            case "event" -> {
                taskIds.add(message.field("id"));
                if (!message.text().isEmpty()) {
                    print(out, message.text());
                }
            }
            case "problem" -> print(err, message.text());
            case "counts" -> showCounts(message);
            default -> LOG.log(Level.DEBUG, "Ignored a message of type " + message.type());
        }
    }

    /** "octo> ", or with what is not final: "octo (2 running, 3 waiting, 1 paused)> ". */
    private static long count(ServerMessage message, String status) {
        return message.fields().get(status) instanceof Long count ? count : 0;
    }

    private void showCounts(ServerMessage message) {
        String counted = JLineConsole.prompt(count(message, "running"), count(message, "waiting"),
                count(message, "paused"));
        if (counted.equals(prompt)) {
            return;
        }
        prompt = counted;
        if (reader instanceof LineReaderImpl impl && impl.isReading()) {
            impl.setPrompt(counted);
            try {
                // REDISPLAY alone, as the owner's console: a shorter prompt leaves no tail
                impl.callWidget(LineReader.REDISPLAY);
            } catch (IllegalStateException notReading) {
                // the line was just entered: the next prompt is drawn with the new counts anyway
            }
        }
    }

    private void rememberIds(ServerMessage message) {
        if (message.fields().get("tasks") instanceof List<?> rows) {
            for (Object row : rows) {
                if (row instanceof Map<?, ?> task && task.get("id") instanceof String id) {
                    taskIds.add(id);
                }
            }
        }
        if (message.fields().get("task") instanceof Map<?, ?> task && task.get("id") instanceof String id) {
            taskIds.add(id);
        }
    }

    private synchronized void serverGone() {
        if (serverGone) {
            return;
        }
        serverGone = true;
        answers.add(new ServerMessage("gone", Map.of(), ""));
        if (leaving) {
            return;
        }
        print(err, serverGoneNote);
        whenServerGone.run();
    }

    private static boolean isRefusal(ServerMessage answer) {
        return answer.type().equals("error") || answer.field("reply").equals("error");
    }

    private void print(PrintStream stream, String text) {
        String safe = TerminalText.neutralize(text);
        LineReader current = reader;
        if (current != null) {
            current.printAbove(safe);
            return;
        }
        synchronized (output) {
            stream.println(safe);
            stream.flush();
        }
    }
}
