package dev.octo.domain;

import static java.util.Objects.requireNonNull;

/**
 * New work started from an earlier task, which itself does not change: a retry runs its spec again,
 * a follow-up gives an agent its outcome and a new instruction. Only a finished task is a base for
 * new work ({@link Task#refusesNewWork}).
 */
public enum NewWork {
    RETRY("retry", "only a finished task can be retried; cancel it first"),
    FOLLOW_UP("follow up", "it has not finished yet");

    private final String verb;
    private final String whyNotUnfinished;

    NewWork(String verb, String whyNotUnfinished) {
        this.verb = verb;
        this.whyNotUnfinished = whyNotUnfinished;
    }

    public String verb() {
        return verb;
    }

    /** Why this work cannot start from a task that has not finished. */
    String whyNotUnfinished() {
        return whyNotUnfinished;
    }

    /** New work was refused; the task it was asked of is unchanged. */
    public record Refused(TaskId taskId, TaskStatus status, NewWork asked, String reason) {
        public Refused {
            requireNonNull(taskId, "taskId is null");
            requireNonNull(status, "status is null");
            requireNonNull(asked, "asked is null");
            requireNonNull(reason, "reason is null");
        }

        /** One sentence for the user: which task, what was asked, its status and why not. */
        public String message() {
            return "Cannot " + asked.verb() + " task " + taskId + " (" + status.label() + "): " + reason;
        }
    }
}
