package dev.octo.application.port.in;

import static java.util.Objects.requireNonNull;

import dev.octo.domain.Task;
import dev.octo.domain.TaskEntry;
import dev.octo.domain.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One task as the front ends show it, worked out once by the application so that the terminal and
 * Telegram never disagree.
 *
 * @param id the task id
 * @param kind "process" or "agent"
 * @param status where the task is
 * @param time for a running or waiting task, how long since it was created; for a finished one, how
 *     long it ran ("3m 12s")
 * @param summary the command or prompt on one line
 * @param tokens for an agent task that used any, the tokens it used so far ("12.3k"); else empty
 */
public record TaskView(String id, String kind, TaskStatus status, String time, String summary, String tokens) {

    /** How a dispatched task shows: it waits for a worker. */
    public static final String WAITING = "waiting";

    public TaskView {
        requireNonNull(id, "id is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(status, "status is null");
        requireNonNull(time, "time is null");
        requireNonNull(summary, "summary is null");
        requireNonNull(tokens, "tokens is null");
    }

    /** A row without tokens: a process task, or an agent task that has not used any. */
    public TaskView(String id, String kind, TaskStatus status, String time, String summary) {
        this(id, kind, status, time, summary, "");
    }

    public static TaskView of(Task task, Instant now) {
        return of(TaskEntry.of(task), now);
    }

    public static TaskView of(TaskEntry task, Instant now) {
        Duration time = task.finishedAt().isPresent()
                ? Duration.between(task.startedAt().orElse(task.createdAt()), task.finishedAt().get())
                : Duration.between(task.createdAt(), now);
        long tokens = task.tokens();
        return new TaskView(task.id().value(), task.kind().label(), task.status(), compact(time),
                oneLine(task.summary()), tokens == 0 ? "" : compactCount(tokens));
    }

    /**
     * The status as a user reads it: a dispatched task is "waiting" (for a free worker, or for Octo
     * to start again); any other status is its own label.
     */
    public String statusLabel() {
        return switch (status) {
            case DISPATCHED -> WAITING;
            case RUNNING, PAUSED, RESUMED, COMPLETED, FAILED, CANCELLED -> status.label();
        };
    }

    /** {@code text} on one line: line breaks and the blanks around them become one space. */
    public static String oneLine(String text) {
        String stripped = text.strip();
        if (stripped.indexOf('\n') < 0 && stripped.indexOf('\r') < 0) {
            return stripped; // the common case, without a regular expression
        }
        return stripped.replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * {@code text} on one line and at most {@code max} characters long, its end replaced by "…" when
     * it was cut.
     */
    public static String abbreviate(String text, int max) {
        String flat = oneLine(text);
        if (flat.length() <= max) {
            return flat;
        }
        int end = max - 1;
        // never keep half of a surrogate pair (an emoji): a channel cannot send it
        if (Character.isHighSurrogate(flat.charAt(end - 1))) {
            end--;
        }
        return flat.substring(0, end) + "…";
    }

    /** "950", "12.3k", "4.1M": a count of tokens short enough for a table. */
    public static String compactCount(long count) {
        if (count < 1_000) {
            return Long.toString(count);
        }
        if (count < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fk", count / 1_000.0).replace(".0k", "k");
        }
        return String.format(Locale.ROOT, "%.1fM", count / 1_000_000.0).replace(".0M", "M");
    }

    /** "45s", "3m 12s", "2h 05m", "3d 4h". */
    public static String compact(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        // two digits by hand: String.format costs more than the rest of a row of /tasks all
        if (seconds < 3600) {
            return (seconds / 60) + "m " + twoDigits(seconds % 60) + "s";
        }
        if (seconds < 86_400) {
            return (seconds / 3600) + "h " + twoDigits((seconds % 3600) / 60) + "m";
        }
        return (seconds / 86_400) + "d " + ((seconds % 86_400) / 3600) + "h";
    }

    private static String twoDigits(long value) {
        return value < 10 ? "0" + value : Long.toString(value);
    }
}
