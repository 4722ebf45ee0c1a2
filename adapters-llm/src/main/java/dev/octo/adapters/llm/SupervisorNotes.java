package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.Notifier;
import dev.octo.domain.TaskEvent;

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
    public void notify(TaskEvent event) {
        switch (event) {
            case TaskEvent.Completed completed -> supervisor.taskFinished(completed.taskId().value(),
                    completed.task().spec().summary(), false, completed.result());
            case TaskEvent.Failed failed -> supervisor.taskFinished(failed.taskId().value(),
                    failed.task().spec().summary(), true, failed.reason());
            case TaskEvent.Dispatched dispatched -> {
            }
            case TaskEvent.Started started -> {
            }
            case TaskEvent.Paused paused -> {
            }
            case TaskEvent.Resumed resumed -> {
            }
            case TaskEvent.Cancelled cancelled -> {
            }
        }
    }
}
