package dev.octo.domain;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a task is in its life. The transition table is the one drawn in the design:
 *
 * <pre>
 * DISPATCHED --start--> RUNNING --complete--> COMPLETED
 *                       RUNNING --fail------> FAILED
 *                       RUNNING --pause-----> PAUSED --resume--> RESUMED --start--> RUNNING
 *                       RUNNING --requeue---> DISPATCHED
 * DISPATCHED, RUNNING, PAUSED, RESUMED --cancel--> CANCELLED
 * </pre>
 *
 * COMPLETED, FAILED and CANCELLED are final: nothing leaves them. {@code requeue} is the engine's
 * alone: a process task it started whose command never ran (Octo stopped in between) waits again.
 */
public enum TaskStatus {
    DISPATCHED,
    RUNNING,
    PAUSED,
    RESUMED,
    COMPLETED,
    FAILED,
    CANCELLED;

    /** The status {@code action} leads to from this one, or empty when it is not allowed. */
    public Optional<TaskStatus> after(TaskAction action) {
        TaskStatus target = switch (this) {
            case DISPATCHED -> switch (action) {
                case START -> RUNNING;
                case CANCEL -> CANCELLED;
                case PAUSE, RESUME, COMPLETE, FAIL, REQUEUE -> null;
            };
            case RUNNING -> switch (action) {
                case COMPLETE -> COMPLETED;
                case FAIL -> FAILED;
                case PAUSE -> PAUSED;
                case CANCEL -> CANCELLED;
                case REQUEUE -> DISPATCHED;
                case START, RESUME -> null;
            };
            case PAUSED -> switch (action) {
                case RESUME -> RESUMED;
                case CANCEL -> CANCELLED;
                case START, PAUSE, COMPLETE, FAIL, REQUEUE -> null;
            };
            case RESUMED -> switch (action) {
                case START -> RUNNING;
                case CANCEL -> CANCELLED;
                case PAUSE, RESUME, COMPLETE, FAIL, REQUEUE -> null;
            };
            case COMPLETED, FAILED, CANCELLED -> null;
        };
        return Optional.ofNullable(target);
    }

    public boolean allows(TaskAction action) {
        return after(action).isPresent();
    }

    /** The actions allowed from this status, in declaration order. */
    public Set<TaskAction> allowedActions() {
        Set<TaskAction> allowed = EnumSet.noneOf(TaskAction.class);
        for (TaskAction action : TaskAction.values()) {
            if (allows(action)) {
                allowed.add(action);
            }
        }
        return allowed;
    }

    public boolean isFinal() {
        return switch (this) {
            case COMPLETED, FAILED, CANCELLED -> true;
            case DISPATCHED, RUNNING, PAUSED, RESUMED -> false;
        };
    }

    /** Whether a task in this status holds a worker slot. */
    public boolean holdsWorkerSlot() {
        return this == RUNNING;
    }

    /** The name in lowercase, made once: a start with a large store compares thousands of labels. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }

    /** Parses a status name in any case; empty when it names none. */
    public static Optional<TaskStatus> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (TaskStatus status : values()) {
            if (status.name().equalsIgnoreCase(text.strip())) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
