package dev.octo.application.port.in;

/**
 * Keeps queued tasks from starting while Octo is about to leave, so that what runs when the user is
 * asked about it is all that runs: a task stopped on leaving must not hand its worker to one that
 * was waiting.
 */
public interface HoldQueueUseCase {

    /**
     * From now on no DISPATCHED or RESUMED task starts; they stay queued, for the next start or
     * until {@link #releaseQueue()}. Returns once no task taken from the queue is still on its way to
     * RUNNING. Holding a held queue changes nothing.
     */
    void holdQueue();

    /** Ends a {@link #holdQueue() hold}: queued tasks start again as workers are free. */
    void releaseQueue();
}
