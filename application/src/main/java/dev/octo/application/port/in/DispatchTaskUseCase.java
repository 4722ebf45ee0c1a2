package dev.octo.application.port.in;

/** Pushes new work into the background. */
public interface DispatchTaskUseCase {

    /**
     * Stores a new DISPATCHED task for {@code request}; a worker starts it when a slot is free.
     *
     * @return {@link TaskOutcome.Done} with the new task, or {@link TaskOutcome.Rejected} when the
     *     request is malformed (a blank command, a timeout that is not positive)
     */
    TaskOutcome dispatch(DispatchTask request);
}
