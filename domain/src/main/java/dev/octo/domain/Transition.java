package dev.octo.domain;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of asking a task to change: either the changed task and the event that tells of it,
 * or a refusal that says what was asked and why not. A refusal is an ordinary outcome (someone
 * cancels a task that has just finished), so it is a value, never an exception.
 */
public sealed interface Transition {

    /** The task asked for the change, as it was before. */
    TaskId taskId();

    /** The change was made. */
    record Applied(Task task, TaskEvent event) implements Transition {
        public Applied {
            requireNonNull(task, "task is null");
            requireNonNull(event, "event is null");
        }

        @Override
        public TaskId taskId() {
            return task.id();
        }
    }

    /** The change was refused; the task is unchanged. */
    record Refused(TaskId taskId, TaskStatus status, TaskAction action, String reason)
            implements Transition {
        public Refused {
            requireNonNull(taskId, "taskId is null");
            requireNonNull(status, "status is null");
            requireNonNull(action, "action is null");
            requireNonNull(reason, "reason is null");
        }

        /** One sentence for the user: which task, what was asked, its status and why not. */
        public String message() {
            return "Cannot " + action.verb() + " task " + taskId + " (" + status.label() + "): " + reason;
        }
    }
}
