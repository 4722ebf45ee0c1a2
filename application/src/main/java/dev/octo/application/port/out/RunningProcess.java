package dev.octo.application.port.out;

import dev.octo.domain.ProcessRef;
import java.util.concurrent.CompletionStage;

/** A process task's command while it runs. */
public interface RunningProcess {

    /** The operating-system process: its pid (also its process group id) and start instant. */
    ProcessRef ref();

    /** Completes once the command has ended and its exit status was recorded. */
    CompletionStage<ProcessExit> exit();

    /**
     * Stops the whole process group: TERM, then KILL after a short grace, so that no child or
     * grandchild survives. Returns at once; {@link #exit()} completes when it is over.
     */
    void terminate();
}
