package dev.octo.domain;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * What a list of tasks shows of one task: small enough to keep for every stored task, without the
 * task's result, error, question or conversation. A store can answer a listing of thousands of tasks
 * from these without reading a task file.
 *
 * @param summary the command or prompt, as {@link TaskSpec#summary()} gives it
 * @param tokens the tokens an agent task used so far (input and output); 0 for a process task
 */
public record TaskEntry(
        TaskId id,
        TaskKind kind,
        TaskStatus status,
        Instant createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt,
        Instant updatedAt,
        String summary,
        long tokens) {

    /** The order of a task list: the latest created first, the larger id first among equals. */
    public static final Comparator<TaskEntry> NEWEST_FIRST =
            Comparator.comparing(TaskEntry::createdAt).thenComparing(TaskEntry::id).reversed();

    public TaskEntry {
        requireNonNull(id, "id is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(status, "status is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
        requireNonNull(summary, "summary is null");
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must not be negative, not " + tokens);
        }
    }

    /** The entry of {@code task} as it is now. */
    public static TaskEntry of(Task task) {
        requireNonNull(task, "task is null");
        return new TaskEntry(task.id(), task.kind(), task.status(), task.createdAt(), task.startedAt(),
                task.finishedAt(), task.updatedAt(), task.spec().summary(), task.usage().totalTokens());
    }

    public boolean isFinal() {
        return status.isFinal();
    }
}
