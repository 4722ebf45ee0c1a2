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
}
