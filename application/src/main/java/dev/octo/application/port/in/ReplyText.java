package dev.octo.application.port.in;

import static dev.octo.application.port.in.TaskView.abbreviate;

import dev.octo.application.port.in.CommandCatalogue.TaskSubcommand;
import dev.octo.domain.TaskStatus;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one plain-text rendering of replies and notifications, so that the terminal, a script and
 * Telegram say the same thing. A front end that draws a value its own way (colours, buttons) still
 * takes its words from here. Where a value offers an action that waits on the user (a paused
 * task's answer), the text says what to type; a channel with buttons leaves that line out.
 *
 * <p>A cancel is told, because it may come from elsewhere: a user on Telegram should hear that a
 * task was cancelled from the terminal. The channel it was asked on already showed the answer to
 * {@code /task <id> cancel}, so {@link #notification(TaskNotice, String)} tells every channel but
 * that one: each user sees one line per cancel. (Not telling of cancels at all, like dispatches,
 * would leave the other channels with a task that ended without a word.)
 */
public final class ReplyText {

    private static final int MAX_DETAIL_LENGTH = 500;
    /** How many lines of a failure's detail (the end of stderr) a notification shows. */
    static final int MAX_DETAIL_LINES = 5;

    private ReplyText() {
    }

    /** {@code reply} as plain text, complete: any channel can show it as it is. */
    public static String render(Reply reply) {
        return switch (reply) {
            case Reply.Text text -> text.text();
            case Reply.Error error -> error.message();
            case Reply.Leave leave -> leave.text();
            case Reply.Tasks tasks -> tasks.rows().isEmpty()
                    ? tasks.status().map(status -> "No " + status.label() + " tasks.")
                            .orElse("No tasks yet. /bg <command> starts one.")
                    : table(tasks.rows()) + olderLine(tasks).map(line -> "\n" + line).orElse("");
            case Reply.Detail detail -> headline(detail.task())
                    + (detail.body().isEmpty() ? "" : "\n" + detail.body())
                    + answerHint(detail.task().id(), detail.actions());
            case Reply.Question question -> headline(question.task()) + "\nQuestion: " + question.question()
                    + answerHint(question.task().id(), question.actions());
        };
    }

    /** "Task abcd1234 · process · running · 3m 12s". */
    public static String headline(TaskView task) {
        return "Task " + task.id() + " · " + task.kind() + " · " + task.statusLabel() + " · " + task.time();
    }

    /**
     * The line under a table that leaves older tasks out: "… and 9,950 older tasks: /tasks all shows
     * every one."; empty when the table shows every task asked for.
     */
    public static Optional<String> olderLine(Reply.Tasks tasks) {
        if (tasks.older() == 0) {
            return Optional.empty();
        }
        Optional<String> status = tasks.status().map(s -> s == TaskStatus.DISPATCHED ? TaskView.WAITING : s.label());
        return Optional.of("… and " + String.format(Locale.ROOT, "%,d", tasks.older()) + " older "
                + status.map(label -> label + " ").orElse("") + (tasks.older() == 1 ? "task" : "tasks")
                + ": /tasks all" + status.map(label -> " " + label).orElse("") + " shows every one.");
    }

    /** The rows as a plain table with a header line, columns padded with blanks. */
    public static String table(List<TaskView> rows) {
        int timeWidth = Math.max(4, rows.stream().mapToInt(r -> r.time().length()).max().orElse(0));
        // a tokens column only when an agent task used some: a list of commands does not need it
        int tokensWidth = rows.stream().mapToInt(r -> r.tokens().length()).max().orElse(0);
        StringBuilder text = new StringBuilder(rows.size() * 100);
        row(text, timeWidth, tokensWidth == 0 ? 0 : Math.max(6, tokensWidth), "ID", "TYPE", "STATUS", "TIME", "TOKENS",
                "WHAT");
        for (TaskView view : rows) {
            text.append('\n');
            row(text, timeWidth, tokensWidth == 0 ? 0 : Math.max(6, tokensWidth), view.id(), view.kind(),
                    view.statusLabel(), view.time(), view.tokens(), abbreviate(view.summary(), 60));
        }
        return text.toString();
    }

    /** The notification of {@code notice}, or empty when it is not worth interrupting for. */
    public static Optional<String> notification(TaskNotice notice) {
        String id = notice.taskId();
        String what = abbreviate(notice.summary().strip(), 60);
        return switch (notice.type()) {
            case DISPATCHED, STARTED, RESUMED -> Optional.empty();
            case COMPLETED -> Optional.of("Task " + id + " completed: " + what
                    + lastLine(notice.detail()).map(line -> "\n  " + line).orElse(""));
            case FAILED -> Optional.of("Task " + id + " failed: " + what
                    + "\n  " + firstLine(notice.detail()) + detailLines(notice.detail()));
            case PAUSED -> Optional.of("Task " + id + " asks: " + clip(notice.detail())
                    + answerHint(id, notice.actions()).replace("\n", "\n  "));
            case CANCELLED -> Optional.of("Task " + id + " cancelled: " + what);
        };
    }

    /**
     * The notification of {@code notice} on {@code channel}: as {@link #notification(TaskNotice)},
     * but none for a cancel asked for on that same channel, whose user saw it answered there.
     */
    public static Optional<String> notification(TaskNotice notice, String channel) {
        if (notice.type() == TaskNotice.Type.CANCELLED && notice.requestedOn().filter(channel::equals).isPresent()) {
            return Optional.empty();
        }
        return notification(notice);
    }

    /** The line that says how to answer, when {@code actions} hold an answer; else nothing. */
    private static String answerHint(String id, List<TaskSubcommand> actions) {
        return actions.contains(TaskSubcommand.RESUME) ? "\nAnswer with: " + TaskSubcommand.RESUME.typed(id) : "";
    }

    private static void row(StringBuilder text, int timeWidth, int tokensWidth, String id, String kind, String status,
            String time, String tokens, String what) {
        pad(text, id, 8).append("  ");
        pad(text, kind, 7).append("  ");
        pad(text, status, 10).append("  ");
        pad(text, time, timeWidth).append("  ");
        if (tokensWidth > 0) {
            pad(text, tokens, tokensWidth).append("  ");
        }
        text.append(what);
        // no trailing blanks on a row whose last column is empty
        while (text.charAt(text.length() - 1) == ' ') {
            text.setLength(text.length() - 1);
        }
    }

    private static StringBuilder pad(StringBuilder text, String value, int width) {
        text.append(value);
        for (int i = value.length(); i < width; i++) {
            text.append(' ');
        }
        return text;
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
