package dev.octo.application.port.in;

import dev.octo.domain.Task;
import dev.octo.domain.TaskEvent;
import java.util.List;
import java.util.Optional;

/**
 * The words every channel uses to tell the user of a task event, so the terminal and Telegram say
 * the same thing. Events the user caused and already saw answered (dispatched, started, resumed)
 * have no notification.
 *
 * <p>A cancel is told, because it may come from elsewhere: a user on Telegram should hear that a
 * task was cancelled from the terminal. The channel it was asked on already showed the answer to
 * {@code /task <id> cancel}, so {@link #notification(TaskEvent, String)} tells every channel but
 * that one: each user sees one line per cancel. (Not telling of cancels at all, like dispatches,
 * would leave the other channels with a task that ended without a word.)
 */
public final class EventText {

    private static final int MAX_DETAIL_LENGTH = 500;
    /** How many lines of a failure's detail (the end of stderr) a notification shows. */
    static final int MAX_DETAIL_LINES = 5;

    private EventText() {
    }

    /** The notification for {@code event}, or empty when it is not worth interrupting for. */
    public static Optional<String> notification(TaskEvent event) {
        Task task = event.task();
        String what = TaskView.abbreviate(task.spec().summary().strip(), 60);
        return switch (event) {
            case TaskEvent.Dispatched dispatched -> Optional.empty();
            case TaskEvent.Started started -> Optional.empty();
            case TaskEvent.Resumed resumed -> Optional.empty();
            case TaskEvent.Completed completed -> Optional.of("Task " + task.id() + " completed: " + what
                    + lastLine(completed.result()).map(line -> "\n  " + line).orElse(""));
            case TaskEvent.Failed failed -> Optional.of("Task " + task.id() + " failed: " + what
                    + "\n  " + firstLine(failed.reason()) + detailLines(failed.reason()));
            case TaskEvent.Paused paused -> Optional.of("Task " + task.id() + " asks: "
                    + clip(paused.question()) + "\n  Answer with: /task " + task.id() + " resume <answer>");
            case TaskEvent.Cancelled cancelled -> Optional.of("Task " + task.id() + " cancelled: " + what);
        };
    }

    /**
     * The notification for {@code event} on {@code channel}: as {@link #notification(TaskEvent)},
     * but none for a cancel asked for on that same channel, whose user saw it answered there.
     */
    public static Optional<String> notification(TaskEvent event, String channel) {
        if (event instanceof TaskEvent.Cancelled cancelled
                && cancelled.requestedOn().filter(channel::equals).isPresent()) {
            return Optional.empty();
        }
        return notification(event);
    }

    private static Optional<String> lastLine(String text) {
        String stripped = text.strip();
        if (stripped.isEmpty()) {
            return Optional.empty();
        }
        int newline = stripped.lastIndexOf('\n');
        return Optional.of(clip(newline < 0 ? stripped : stripped.substring(newline + 1)));
    }

    /**
     * The last {@value #MAX_DETAIL_LINES} lines of {@code reason} after its first, each on a line of
     * its own: for a command, the end of what it wrote to stderr ("nosuchcmd: not found"), which
     * says more than its exit code.
     */
    private static String detailLines(String reason) {
        int newline = reason.indexOf('\n');
        if (newline < 0) {
            return "";
        }
        List<String> lines = reason.substring(newline + 1).lines().filter(line -> !line.isBlank()).toList();
        StringBuilder text = new StringBuilder();
        for (String line : lines.subList(Math.max(0, lines.size() - MAX_DETAIL_LINES), lines.size())) {
            text.append("\n  ").append(clip(line.stripTrailing()));
        }
        return text.toString();
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return clip(newline < 0 ? text : text.substring(0, newline));
    }

    private static String clip(String text) {
        return text.length() <= MAX_DETAIL_LENGTH ? text : text.substring(0, MAX_DETAIL_LENGTH - 1) + "…";
    }
}
