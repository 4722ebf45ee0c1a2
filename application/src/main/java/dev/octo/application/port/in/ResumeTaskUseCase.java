package dev.octo.application.port.in;

import dev.octo.domain.TaskId;

/** Answers the question a paused agent task asked. */
public interface ResumeTaskUseCase {

    /**
     * Gives {@code answer} to the PAUSED task {@code id}; it becomes RESUMED and goes on when a
     * worker is free.
     *
     * @return the resumed task, or why not (unknown, not paused, a blank or too long answer)
     */
    TaskOutcome resume(TaskId id, String answer);
}
