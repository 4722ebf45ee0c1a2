package dev.octo.application.port.in;

import dev.octo.domain.TaskId;

/** Goes on from where a finished task ended. */
public interface FollowUpTaskUseCase {

    /**
     * Dispatches a new agent task whose prompt holds task {@code id}'s objective, its result or
     * error, and {@code instruction}, pointing to it as its parent.
     *
     * @return the new task, or why not (unknown, not final yet, a blank instruction)
     */
    TaskOutcome followUp(TaskId id, String instruction);
}
