package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.TaskNotice;
import dev.octo.application.port.out.Notifier;

/**
 * Tells the supervisor of the tasks that end, as a channel is told: a completed or failed task
 * becomes a note in its conversations ({@link LangChain4jSupervisorChat#taskFinished}). The other
 * events are for the person, not for the supervisor.
 */
public final class SupervisorNotes implements Notifier {

    private final LangChain4jSupervisorChat supervisor;

    public SupervisorNotes(LangChain4jSupervisorChat supervisor) {
        this.supervisor = requireNonNull(supervisor, "supervisor is null");
    }

    @Override
    public void notify(TaskNotice notice) {
        switch (notice.type()) {
            case COMPLETED -> supervisor.taskFinished(notice.taskId(), notice.summary(), false, notice.detail());
            case FAILED -> supervisor.taskFinished(notice.taskId(), notice.summary(), true, notice.detail());
            case DISPATCHED, STARTED, PAUSED, RESUMED, CANCELLED -> {
                // for the person, not for the supervisor
            }
        }
    }
}
