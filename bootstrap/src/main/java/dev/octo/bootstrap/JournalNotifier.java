package dev.octo.bootstrap;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.TaskNotice;
import dev.octo.application.port.out.Notifier;
import java.io.PrintStream;

/**
 * The daemon's stderr as a channel: a service manager keeps it (the journal), so problems of Octo
 * itself (it cannot write its state) are seen there too. Task events go to Telegram, not here.
 */
final class JournalNotifier implements Notifier {

    private final PrintStream stderr;

    JournalNotifier(PrintStream stderr) {
        this.stderr = requireNonNull(stderr, "stderr is null");
    }

    @Override
    public void notify(TaskNotice notice) {
        // the phone is told; the journal would only repeat it
    }

    @Override
    public void notifyProblem(String message) {
        message.lines().forEach(line -> stderr.println("octo: " + line));
    }
}
