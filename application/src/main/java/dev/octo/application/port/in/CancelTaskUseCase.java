package dev.octo.application.port.in;

import dev.octo.domain.TaskId;

/** Stops a task the user no longer wants. */
public interface CancelTaskUseCase {

    /**
     * Cancels a DISPATCHED, RUNNING, PAUSED or RESUMED task; a running process is stopped with its
     * whole process group, a running agent after its current turn.
     *
     * @return the cancelled task, or why it cannot be cancelled (unknown, already final)
     */
    TaskOutcome cancel(TaskId id);

    /**
     * Cancels task {@code id} as {@link #cancel(TaskId)} does, for the user of {@code channel}
     * ("cli", "telegram:42"), who is shown the returned outcome as the answer. The
     * {@link dev.octo.domain.TaskEvent.Cancelled} names that channel, so that its notifier does not
     * tell the same user a second time; every other channel is told.
     */
    TaskOutcome cancel(TaskId id, String channel);
}
