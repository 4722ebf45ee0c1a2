package dev.octo.adapters.cli.socket;

import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.ReplyText;
import dev.octo.application.port.in.TaskNotice;
import dev.octo.application.port.in.TaskView;
import dev.octo.domain.TaskStatus;
import dev.octo.application.port.in.CommandCatalogue.TaskSubcommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The messages of the socket protocol, one JSON object per line (see the README). A client opens
 * with {@code {"hello":"octo","version":1}}; the server answers {@code welcome} or {@code refused}
 * (and closes). Then each {@code {"line":"..."}} is one input line, answered by any number of
 * {@code progress} messages and one {@code reply}; {@code event} and {@code problem} messages come
 * at any time between them.
 */
final class Protocol {

    /** The protocol's version: a client and a server of different versions do not talk. */
    static final long VERSION = 1;
    /** The longest line either side accepts, newline excluded. */
    static final int MAX_LINE_BYTES = 1 << 20;
    /** The channel the interpreter and the notifications see for every attached client. */
    static final String CHANNEL = "cli";

    private Protocol() {
    }

    static String hello() {
        return object("hello", "octo", "version", VERSION);
    }

    static String welcome() {
        return object("type", "welcome", "version", VERSION);
    }

    static String refused(String message) {
        return object("type", "refused", "message", message);
    }

    static String error(String message) {
        return object("type", "error", "message", message);
    }

    static String request(String line) {
        return object("line", line);
    }

    /** What is not final, for the prompt: sent after the welcome and after every event. */
    static String counts(Map<TaskStatus, Integer> byStatus) {
        return object("type", "counts", "running", (long) byStatus.getOrDefault(TaskStatus.RUNNING, 0),
                "waiting", (long) (byStatus.getOrDefault(TaskStatus.DISPATCHED, 0)
                        + byStatus.getOrDefault(TaskStatus.RESUMED, 0)),
                "paused", (long) byStatus.getOrDefault(TaskStatus.PAUSED, 0));
    }

    static String progress(String text) {
        return object("type", "progress", "text", text);
    }

    static String problem(String text) {
        return object("type", "problem", "text", text);
    }

    /** The reply as its kind, its complete plain text ({@link ReplyText#render}) and its values. */
    static String reply(Reply reply) {
        return reply(reply, id -> Optional.empty());
    }

    /**
     * As {@link #reply(Reply)}; a task's detail also carries its process's exit code, when
     * {@code exitCodes} knows one, so that a script need not read it from the text.
     */
    static String reply(Reply reply, Function<String, Optional<Integer>> exitCodes) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "reply");
        message.put("reply", switch (reply) {
            case Reply.Text text -> "text";
            case Reply.Error error -> "error";
            case Reply.Tasks tasks -> "tasks";
            case Reply.Detail detail -> "detail";
            case Reply.Question question -> "question";
            case Reply.Leave leave -> "leave";
        });
        message.put("text", ReplyText.render(reply));
        switch (reply) {
            case Reply.Tasks tasks -> {
                message.put("tasks", tasks.rows().stream().map(Protocol::task).toList());
                message.put("older", (long) tasks.older());
            }
            case Reply.Detail detail -> {
                message.put("task", task(detail.task()));
                message.put("body", detail.body());
                message.put("actions", actions(detail.actions()));
                exitCodes.apply(detail.task().id()).ifPresent(code -> message.put("exit", (long) code));
            }
            case Reply.Question question -> {
                message.put("task", task(question.task()));
                message.put("question", question.question());
                message.put("actions", actions(question.actions()));
            }
            case Reply.Text text -> {
                // its text says it all
            }
            case Reply.Error error -> {
                // its text says it all
            }
            case Reply.Leave leave -> {
                // its text says it all
            }
        }
        return Json.write(message);
    }

    /** The notice with its notification text, absent for an event a person is not told of. */
    static String event(TaskNotice notice) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "event");
        message.put("event", notice.type().name().toLowerCase(Locale.ROOT));
        message.put("id", notice.taskId());
        message.put("kind", notice.kind().name().toLowerCase(Locale.ROOT));
        message.put("summary", notice.summary());
        message.put("detail", notice.detail());
        message.put("at", notice.at().toString());
        notice.requestedOn().ifPresent(channel -> message.put("requestedOn", channel));
        message.put("actions", actions(notice.actions()));
        ReplyText.notification(notice, CHANNEL).ifPresent(text -> message.put("text", text));
        return Json.write(message);
    }

    private static Map<String, Object> task(TaskView view) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("id", view.id());
        task.put("kind", view.kind());
        task.put("status", view.statusLabel());
        task.put("time", view.time());
        task.put("summary", view.summary());
        task.put("tokens", view.tokens());
        return task;
    }

    private static List<String> actions(List<TaskSubcommand> actions) {
        return actions.stream().map(action -> action.name().toLowerCase(Locale.ROOT)).toList();
    }

    private static String object(Object... namesAndValues) {
        Map<String, Object> message = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            message.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return Json.write(message);
    }
}
