package dev.octo.application.port.in;

/** Removes finished tasks the user no longer needs, with their files. */
public interface CleanTasksUseCase {

    /**
     * Removes the final tasks (COMPLETED, FAILED, CANCELLED) that {@code request} selects, each with
     * its files: a process task's logs and exit status, an agent task's conversation. A task that
     * waits (DISPATCHED, RESUMED), runs or is paused is never touched.
     *
     * @return which tasks were removed and which could not be, or why nothing was looked at (a
     *     status that is not final)
     */
    CleanOutcome clean(CleanTasks request);
}
