package dev.octo.adapters.cli;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.ReplyText;
import dev.octo.application.port.in.TaskNotice;
import dev.octo.application.port.out.Notifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;

/**
 * The terminal front end for scripts: reads commands line by line and answers each in plain text,
 * with no colour and no cursor movement. Replies and notifications go to {@code out}, refusals and
 * errors to {@code err}, so that a script can tell them apart. It ends at end of input or
 * {@code /exit}.
 *
 * <p>Its output may be a terminal too: control characters in what it prints are made visible
 * ({@link TerminalText#neutralize}).
 */
public final class PlainConsole implements Notifier {

    static final String CHANNEL = "cli";

    private final BufferedReader in;
    private final PrintStream out;
    private final PrintStream err;
    private final InterpretCommandUseCase interpreter;
    /** Orders the lines of both streams, which may be one terminal. */
    private final Object output = new Object();

    public PlainConsole(BufferedReader in, PrintStream out, PrintStream err, InterpretCommandUseCase interpreter) {
        this.in = requireNonNull(in, "in is null");
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
        this.interpreter = requireNonNull(interpreter, "interpreter is null");
    }

    /**
     * Answers lines until end of input or {@code /exit}.
     *
     * @return whether every command was accepted: false when any was refused or failed
     */
    public boolean run() throws IOException {
        boolean allAccepted = true;
        String line;
        while ((line = in.readLine()) != null) {
            switch (LeaveCommand.of(line)) {
                case LEAVE -> {
                    return allAccepted;
                }
                case MISUSED -> {
                    allAccepted = false;
                    print(err, LeaveCommand.usage(line));
                    continue;
                }
                case NONE -> {
                    // a command for the interpreter
                }
            }
            if (line.isBlank()) {
                continue;
            }
            Reply reply = interpreter.handle(CHANNEL, line, text -> print(out, text));
            if (reply instanceof Reply.Error) {
                allAccepted = false;
                print(err, ReplyText.render(reply));
            } else if (!(reply instanceof Reply.Text text && text.text().isEmpty())) {
                // an empty text was shown as it came (a streamed answer)
                print(out, ReplyText.render(reply));
            }
        }
        return allAccepted;
    }

    @Override
    public void notify(TaskNotice notice) {
        ReplyText.notification(notice, CHANNEL).ifPresent(text -> print(out, text));
    }

    /** A problem of Octo itself (state it cannot write, a file it moved aside) is an error: to stderr. */
    @Override
    public void notifyProblem(String message) {
        print(err, message);
    }

    private void print(PrintStream stream, String text) {
        synchronized (output) {
            stream.println(TerminalText.neutralize(text));
            stream.flush();
        }
    }
}
