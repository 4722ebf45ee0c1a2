package dev.octo.application.service;

import static dev.octo.application.service.CommandInterpreter.SHOW_MAX_CHARS;
import static dev.octo.application.service.CommandInterpreter.SHOW_OUTPUT_LINES;
import static dev.octo.application.port.in.TaskView.abbreviate;
import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.CommandCatalogue.TaskSubcommand;
import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.ReplyText;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.in.TaskView;
import dev.octo.domain.AgentUsage;
import dev.octo.domain.Task;
import dev.octo.domain.TaskKind;
import dev.octo.domain.TaskStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The text of tasks as the commands show them: one task's detail ({@code /task <id>}), its headline,
 * its question, and how it ended. What a task produced is cut to its end, and a
 * cut says where the whole of it is.
 */
final class TaskDetailText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final TaskQueries queries;
    private final Clock clock;

    TaskDetailText(TaskQueries queries, Clock clock) {
        this.queries = requireNonNull(queries, "queries is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** {@code /task <id>}: the task with its details and the actions that apply to it now. */
    Reply.Detail detail(Task task, String outputTail) {
        return new Reply.Detail(TaskView.of(task, clock.instant()), body(task, outputTail),
                TaskSubcommand.applicableTo(task));
    }

    /** A paused task's question, as {@code /wait <id>} ends on it. */
    Reply.Question question(Task task) {
        return new Reply.Question(TaskView.of(task, clock.instant()), task.question().orElse(""),
                TaskSubcommand.applicableTo(task));
    }

    private String body(Task task, String outputTail) {
        List<Path> logs = queries.logFiles(task.id());
        StringBuilder text = new StringBuilder();
        String what = switch (task.kind()) {
            case PROCESS -> "Command:  ";
            case AGENT -> "Prompt:   ";
        };
        text.append(what).append(task.spec().summary().strip()).append('\n');
        text.append("Created:  ").append(time(task.createdAt())).append('\n');
        task.startedAt().ifPresent(at -> text.append("Started:  ").append(time(at)).append('\n'));
        task.finishedAt().ifPresent(at -> text.append("Finished: ").append(time(at)).append('\n'));
        task.spec().timeout().applied().ifPresent(applied -> {
            text.append("Timeout:  ").append(applied.toSeconds()).append(" s");
            task.spec().timeout().requested().filter(asked -> !asked.equals(applied))
                    .ifPresent(asked -> text.append(" (asked ").append(asked.toSeconds()).append(" s)"));
            text.append('\n');
        });
        if (task.attempt() > 1 || task.parentId().isPresent()) {
            text.append("Attempt:  ").append(task.attempt());
            task.parentId().ifPresent(parent -> text.append(" (from task ").append(parent).append(')'));
            text.append('\n');
        }
        if (task.kind() == TaskKind.AGENT && task.usage().turns() > 0) {
            AgentUsage usage = task.usage();
            text.append("Turns:    ").append(usage.turns()).append('\n')
                    .append("Tokens:   ").append(String.format(Locale.ROOT, "%,d in · %,d out", usage.inputTokens(),
                            usage.outputTokens())).append('\n');
        }
        task.process().filter(process -> task.status() == TaskStatus.RUNNING)
                .ifPresent(process -> text.append("Pid:      ").append(process.pid()).append('\n'));
        queries.exitCode(task.id()).ifPresent(code -> text.append("Exit:     code ").append(code).append('\n'));
        if (!logs.isEmpty()) {
            text.append("Logs:     ").append(logs.stream().map(Path::toString)
                    .collect(Collectors.joining("\n          "))).append('\n');
        }
        task.question().filter(q -> task.status() == TaskStatus.PAUSED)
                .ifPresent(question -> text.append("Question: ").append(question).append('\n'));
        // a process task's result is the end of its stdout, and its error ends with the end of stderr
        Optional<Path> stdoutLog = logs.stream().findFirst();
        Optional<Path> stderrLog = logs.stream().skip(1).findFirst();
        task.result().filter(result -> !result.isBlank()).ifPresent(result -> text.append("Result:\n")
                .append(endOf(result, SHOW_OUTPUT_LINES, SHOW_MAX_CHARS, stdoutLog)).append('\n'));
        task.error().filter(error -> !error.isBlank()).ifPresent(error -> text.append("Error:\n")
                .append(reasonAndEndOf(error, stderrLog)).append('\n'));
        if (!task.isFinal() && !outputTail.isBlank()) {
            text.append("Output (last ").append(SHOW_OUTPUT_LINES).append(" lines):\n")
                    .append(endOf(outputTail, Integer.MAX_VALUE, SHOW_MAX_CHARS, Optional.empty()));
        }
        return text.toString().stripTrailing();
    }

    /**
     * The end of {@code text}, which a task produced: at most {@code maxLines} lines and
     * {@code maxChars} characters of it. A cut text starts with a line that says so and where the
     * whole of it is, when {@code whole} names a file.
     */
    static String endOf(String text, int maxLines, int maxChars, Optional<Path> whole) {
        String stripped = text.stripTrailing();
        int from = Math.max(0, stripped.length() - maxChars);
        int newlines = 0;
        // backwards from the end, and never further than the characters kept: a text may be huge
        for (int i = stripped.length() - 1; i >= from; i--) {
            if (stripped.charAt(i) == '\n' && ++newlines == maxLines) {
                from = i + 1;
                break;
            }
        }
        if (from == 0) {
            return stripped;
        }
        // never keep half of a surrogate pair (an emoji): a channel cannot send it
        if (from < stripped.length() && Character.isLowSurrogate(stripped.charAt(from))) {
            from++;
        }
        return "[… cut" + whole.map(file -> "; all of it is in " + file).orElse("") + "]\n" + stripped.substring(from);
    }

    /**
     * An error as {@link #endOf} shows text, but with its first line, the reason ("Exit code 2",
     * "Timed out after 60 s"), kept whatever the length of the rest.
     */
    private static String reasonAndEndOf(String error, Optional<Path> whole) {
        String stripped = error.strip();
        int newline = stripped.indexOf('\n');
        String reason = abbreviate(newline < 0 ? stripped : stripped.substring(0, newline), SHOW_MAX_CHARS);
        if (newline < 0) {
            return reason;
        }
        return reason + "\n" + endOf(stripped.substring(newline + 1), SHOW_OUTPUT_LINES, SHOW_MAX_CHARS, whole);
    }

    String headline(Task task) {
        return ReplyText.headline(TaskView.of(task, clock.instant()));
    }

    static String outcomeLine(Task task) {
        return task.error().map(error -> "\n" + firstLine(error))
                .or(() -> task.result().filter(r -> !r.isBlank()).map(result -> "\n" + tail(result, 5)))
                .orElse("");
    }

    private String time(Instant instant) {
        return TIME.format(ZonedDateTime.ofInstant(instant, clock.getZone()));
    }

    /** How a followed task ended: its headline and, when it failed, why. */
    String endLine(Task task) {
        return headline(task) + task.error().filter(error -> !error.isBlank())
                .map(error -> "\n" + abbreviate(firstLine(error), 200)).orElse("");
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /** The last {@code lines} lines of {@code text}, and at most {@link CommandInterpreter#SHOW_MAX_CHARS} of it. */
    private static String tail(String text, int lines) {
        String stripped = text.stripTrailing();
        String end = endOf(stripped, lines, SHOW_MAX_CHARS, Optional.empty());
        // endOf marks a cut with a line of its own: here a plain ellipsis says it
        return end.equals(stripped) ? stripped : "…\n" + end.substring(end.indexOf('\n') + 1);
    }
}
