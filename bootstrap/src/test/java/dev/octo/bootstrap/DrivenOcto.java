package dev.octo.bootstrap;

import dev.octo.application.fakes.Eventually;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An Octo a test drives through its stdin and reads through its stdout, wherever it runs. */
interface DrivenOcto {

    Pattern TASK_ID = Pattern.compile("task ([a-z0-9]{8})");

    void send(String line) throws IOException;

    /** The lines Octo printed on stdout so far. */
    List<String> output();

    /** Whether Octo has ended. */
    boolean ended();

    /** What to show when an expected line does not come: the output and the errors. */
    String diagnostics();

    /** Sends a /bg command and returns the id of the task it dispatched. */
    default String dispatch(String command) throws IOException, InterruptedException {
        int before = output().size();
        send("/bg " + command);
        String line = awaitLine(l -> l.startsWith("Dispatched task"), before, Duration.ofSeconds(30));
        Matcher matcher = TASK_ID.matcher(line);
        if (!matcher.find()) {
            throw new AssertionError("no task id in " + line);
        }
        return matcher.group(1);
    }

    /** The first line from the {@code from}th on that is {@code wanted}, waiting up to {@code limit}. */
    default String awaitLine(Predicate<String> wanted, int from, Duration limit) {
        // an Octo that has ended without printing more lines will not print the one wanted
        Eventually.holds(limit, () -> firstLine(wanted, from).isPresent() || ended() && output().size() <= from);
        return firstLine(wanted, from)
                .orElseThrow(() -> new AssertionError("no such line within " + limit + "; " + diagnostics()));
    }

    private Optional<String> firstLine(Predicate<String> wanted, int from) {
        List<String> lines = output();
        for (int i = from; i < lines.size(); i++) {
            if (wanted.test(lines.get(i))) {
                return Optional.of(lines.get(i));
            }
        }
        return Optional.empty();
    }
}
