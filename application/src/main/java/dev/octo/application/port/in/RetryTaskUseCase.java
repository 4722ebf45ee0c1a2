package dev.octo.application.port.in;

import dev.octo.domain.TaskId;

/** Runs a finished task's work again. */
public interface RetryTaskUseCase {

    /**
     * Dispatches a new task with the same spec as the final task {@code id}, pointing to it as its
     * parent, with the next attempt number.
     *
     * @return the new task, or why not (unknown, not final yet)
     */
    TaskOutcome retry(TaskId id);
}
