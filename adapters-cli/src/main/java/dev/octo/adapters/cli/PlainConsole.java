package dev.octo.adapters.cli;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.Reply;
import dev.octo.application.port.out.Notifier;
import dev.octo.application.service.CommandInterpreter;
import dev.octo.application.service.EventText;
import dev.octo.domain.TaskEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The terminal front end for scripts: reads commands line by line and answers each in plain text,
 * with no colour and no cursor movement. Notifications are printed as lines of their own. It ends
 * at end of input or {@code /exit}.
 */
public final class PlainConsole implements Notifier {

    static final String CHANNEL = "cli";

    private final BufferedReader in;
    private final PrintStream out;
    private final CommandInterpreter interpreter;

    public PlainConsole(BufferedReader in, PrintStream out, CommandInterpreter interpreter) {
        this.in = requireNonNull(in, "in is null");
        this.out = requireNonNull(out, "out is null");
        this.interpreter = requireNonNull(interpreter, "interpreter is null");
    }

    /** Answers lines until end of input or {@code /exit}. */
    public void run() throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.strip().toLowerCase(Locale.ROOT);
            if (command.equals("/exit") || command.equals("/quit")) {
                return;
            }
            if (command.isEmpty()) {
                continue;
            }
            Reply reply = interpreter.handle(CHANNEL, line);
            print(reply.text());
        }
    }

    @Override
    public void notify(TaskEvent event) {
        EventText.notification(event).ifPresent(this::print);
    }

    @Override
    public void notifyProblem(String message) {
        print(message);
    }

    private void print(String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }
}
