package dev.octo.application.port.in;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.CommandCatalogue.TaskSubcommand;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEvent;
import dev.octo.domain.TaskKind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a channel is told of a task event, as a value: a front end renders it its own way (colours,
 * buttons on its actions) or as the plain text of {@link ReplyText#notification}. It carries no
 * command syntax.
 *
 * @param summary the task's command or prompt
 * @param detail for {@link Type#PAUSED} the question, for {@link Type#COMPLETED} the result, for
 *     {@link Type#FAILED} the reason (its first line, then the end of stderr); empty otherwise
 * @param requestedOn for {@link Type#CANCELLED}, the channel the cancel was asked on, if it was
 * @param actions what may be asked of the task now, in the order {@code /help} lists them
 */
public record TaskNotice(String taskId, TaskKind kind, Type type, String summary, String detail, Instant at,
        Optional<String> requestedOn, List<TaskSubcommand> actions) {

    /** What happened to the task. */
    public enum Type {
        DISPATCHED, STARTED, RESUMED, COMPLETED, FAILED, PAUSED, CANCELLED;

        /**
         * Whether a person is told of it. Events the user caused and already saw answered
         * (dispatched, started, resumed) are not; they still change counts a front end may show.
         */
        public boolean told() {
            return switch (this) {
                case DISPATCHED, STARTED, RESUMED -> false;
                case COMPLETED, FAILED, PAUSED, CANCELLED -> true;
            };
        }
    }

    public TaskNotice {
        requireNonNull(taskId, "taskId is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(type, "type is null");
        requireNonNull(summary, "summary is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(at, "at is null");
        requireNonNull(requestedOn, "requestedOn is null");
        actions = List.copyOf(actions);
    }

    /** The notice of {@code event}. */
    public static TaskNotice of(TaskEvent event) {
        Task task = event.task();
        Type type;
        String detail = "";
        Optional<String> requestedOn = Optional.empty();
        switch (event) {
            case TaskEvent.Dispatched dispatched -> type = Type.DISPATCHED;
            case TaskEvent.Started started -> type = Type.STARTED;
            case TaskEvent.Resumed resumed -> type = Type.RESUMED;
            case TaskEvent.Completed completed -> {
                type = Type.COMPLETED;
                detail = completed.result();
            }
            case TaskEvent.Failed failed -> {
                type = Type.FAILED;
                detail = failed.reason();
            }
            case TaskEvent.Paused paused -> {
                type = Type.PAUSED;
                detail = paused.question();
            }
            case TaskEvent.Cancelled cancelled -> {
                type = Type.CANCELLED;
                requestedOn = cancelled.requestedOn();
            }
        }
        return new TaskNotice(task.id().value(), task.kind(), type, task.spec().summary(), detail, event.at(),
                requestedOn, TaskSubcommand.applicableTo(task));
    }

    /** The question of a paused task; empty for any other notice. */
    public Optional<String> question() {
        return type == Type.PAUSED ? Optional.of(detail) : Optional.empty();
    }

    /** The result of a completed task; empty for any other notice. */
    public Optional<String> result() {
        return type == Type.COMPLETED ? Optional.of(detail) : Optional.empty();
    }

    /** Why a task failed; empty for any other notice. */
    public Optional<String> error() {
        return type == Type.FAILED ? Optional.of(detail) : Optional.empty();
    }
}
