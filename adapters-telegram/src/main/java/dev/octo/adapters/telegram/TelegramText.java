package dev.octo.adapters.telegram;

import static dev.octo.application.port.in.TaskView.abbreviate;

import dev.octo.adapters.telegram.BotState.About;
import dev.octo.adapters.telegram.BotState.Route;
import dev.octo.adapters.telegram.TaskButton.Button;
import dev.octo.application.port.in.CommandCatalogue.TaskSubcommand;
import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.ReplyText;
import dev.octo.application.port.in.TaskNotice;
import dev.octo.application.port.in.TaskView;
import dev.octo.domain.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Replies and notifications as Telegram messages: HTML with everything a user, a task or a model
 * wrote escaped, actions as buttons, and the words of {@link ReplyText}, so that Telegram says what
 * the terminal says. Where the terminal tells what to type to answer, a message here says to reply
 * to it.
 */
final class TelegramText {

    static final String ANSWER_HINT = "Reply to this message to answer.";
    static final String FOLLOW_UP_HINT = "Reply to this message to follow up on it.";
    /** How long one task's line in a list of notifications may be. */
    private static final int DIGEST_LINE_LENGTH = 160;

    private TelegramText() {
    }

    /** The message that answers a command or a free text. */
    static Outgoing.Text reply(Reply reply) {
        return switch (reply) {
            case Reply.Text text -> Outgoing.Text.plain(text.text());
            case Reply.Error error -> Outgoing.Text.plain(error.message());
            case Reply.Leave leave -> Outgoing.Text.plain(leave.text());
            case Reply.Tasks tasks -> tasks.rows().isEmpty()
                    ? Outgoing.Text.plain(ReplyText.render(tasks))
                    : Outgoing.Text.of(taskList(tasks.rows()) + ReplyText.olderLine(tasks)
                            .map(line -> "\n" + Html.italic(line)).orElse(""));
            case Reply.Detail detail -> aboutTask(detail.task(),
                    detail.body().isEmpty() ? "" : Html.escape(detail.body()), detail.actions(), false);
            case Reply.Question question -> aboutTask(question.task(),
                    "Question: " + Html.escape(question.question()), question.actions(), true);
        };
    }

    /**
     * The notification of {@code notice} for the user of {@code channel}, or empty when that user is
     * not told of it (see {@link ReplyText#notification(TaskNotice, String)}). Unlike the terminal's
     * one line, it holds the whole question, result or error: the splitting into messages keeps
     * any length readable.
     */
    static Optional<Outgoing.Text> notification(TaskNotice notice, String channel) {
        if (ReplyText.notification(notice, channel).isEmpty()) {
            return Optional.empty();
        }
        return switch (notice.type()) {
            case DISPATCHED, STARTED, RESUMED -> Optional.empty();
            case PAUSED -> Optional.of(paused(notice));
            case COMPLETED -> Optional.of(finished(notice, "completed"));
            case FAILED -> Optional.of(finished(notice, "failed"));
            case CANCELLED -> Optional.of(finished(notice, "cancelled"));
        };
    }

    private static Outgoing.Text paused(TaskNotice notice) {
        String id = notice.taskId();
        String html = icon(notice.type()) + ' ' + Html.bold("Task " + id + " asks:") + ' '
                + Html.escape(abbreviate(notice.summary(), 60)) + '\n' + Html.escape(notice.detail().strip())
                + '\n' + Html.italic(ANSWER_HINT);
        List<Button> buttons = new ArrayList<>();
        if (notice.actions().contains(TaskSubcommand.CANCEL)) {
            TaskButton.CANCEL.forTask(id).ifPresent(buttons::add);
        }
        TaskButton.SHOW.forTask(id).ifPresent(buttons::add);
        return new Outgoing.Text(html, buttons, Optional.of(new Route(id, About.QUESTION)));
    }

    private static Outgoing.Text finished(TaskNotice notice, String verb) {
        String id = notice.taskId();
        StringBuilder html = new StringBuilder();
        html.append(icon(notice.type())).append(' ').append(Html.bold("Task " + id + " " + verb + ":"))
                .append(' ').append(Html.escape(abbreviate(notice.summary(), 60)));
        String detail = notice.detail().strip();
        if (!detail.isEmpty()) {
            html.append('\n').append(Html.escape(detail));
        }
        List<Button> buttons = new ArrayList<>();
        TaskButton.SHOW.forTask(id).ifPresent(buttons::add);
        if (notice.actions().contains(TaskSubcommand.LOG)) {
            TaskButton.LOG.forTask(id).ifPresent(buttons::add);
        }
        if (notice.actions().contains(TaskSubcommand.RETRY)) {
            TaskButton.RETRY.forTask(id).ifPresent(buttons::add);
        }
        return new Outgoing.Text(html.toString(), buttons, Optional.of(new Route(id, About.FINISHED)));
    }

    /**
     * Several notifications as one message: a line per task, in the words of the terminal. Used when
     * they come faster than a chat may be sent messages.
     */
    static Outgoing.Text digest(List<TaskNotice> notices, String channel) {
        StringBuilder html = new StringBuilder();
        html.append(Html.bold(notices.size() + " task updates:"));
        for (TaskNotice notice : notices) {
            Optional<String> line = ReplyText.notification(notice, channel);
            if (line.isPresent()) {
                String first = line.get().lines().findFirst().orElse("");
                html.append('\n').append(icon(notice.type())).append(' ')
                        .append(Html.escape(abbreviate(first, DIGEST_LINE_LENGTH)));
            }
        }
        return Outgoing.Text.of(html.toString());
    }

    private static Outgoing.Text aboutTask(TaskView task, String bodyHtml, List<TaskSubcommand> actions,
            boolean asksAlready) {
        StringBuilder html = new StringBuilder(Html.bold(ReplyText.headline(task)));
        if (!bodyHtml.isEmpty()) {
            html.append('\n').append(bodyHtml);
        }
        List<Button> buttons = new ArrayList<>();
        Optional<Route> route = Optional.empty();
        if (actions.contains(TaskSubcommand.RESUME)) {
            html.append('\n').append(Html.italic(ANSWER_HINT));
            route = Optional.of(new Route(task.id(), About.QUESTION));
        } else if (actions.contains(TaskSubcommand.FOLLOWUP) && !asksAlready) {
            html.append('\n').append(Html.italic(FOLLOW_UP_HINT));
            route = Optional.of(new Route(task.id(), About.FINISHED));
        }
        for (TaskSubcommand action : actions) {
            // a question offers what its notification offers: cancel, and show below
            Optional<TaskButton> button = switch (action) {
                case CANCEL -> Optional.of(TaskButton.CANCEL);
                case LOG -> asksAlready ? Optional.empty() : Optional.of(TaskButton.LOG);
                case RETRY -> Optional.of(TaskButton.RETRY);
                case RESUME, FOLLOWUP -> Optional.empty(); // a reply to the message does these
            };
            button.flatMap(kind -> kind.forTask(task.id())).ifPresent(buttons::add);
        }
        if (asksAlready) {
            TaskButton.SHOW.forTask(task.id()).ifPresent(buttons::add);
        }
        return new Outgoing.Text(html.toString(), buttons, route);
    }

    /** A compact list: a line per task, its id set apart so that a tap copies it. */
    private static String taskList(List<TaskView> rows) {
        StringBuilder html = new StringBuilder();
        for (TaskView row : rows) {
            if (!html.isEmpty()) {
                html.append('\n');
            }
            html.append(icon(row.status())).append(' ').append(Html.code(row.id())).append(' ')
                    .append(Html.escape(row.statusLabel() + " · " + row.kind() + " · " + row.time()))
                    .append("\n    ").append(Html.escape(abbreviate(row.summary(), 60)));
        }
        return html.toString();
    }

    private static String icon(TaskNotice.Type type) {
        return switch (type) {
            case COMPLETED -> "✅";
            case FAILED -> "❌";
            case PAUSED -> "❓";
            case CANCELLED -> "🚫";
            case DISPATCHED, STARTED, RESUMED -> "•";
        };
    }

    private static String icon(TaskStatus status) {
        return switch (status) {
            case DISPATCHED, RESUMED -> "⏳";
            case RUNNING -> "▶️";
            case PAUSED -> "❓";
            case COMPLETED -> "✅";
            case FAILED -> "❌";
            case CANCELLED -> "🚫";
        };
    }
}
