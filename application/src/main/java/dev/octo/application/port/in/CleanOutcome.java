package dev.octo.application.port.in;

import static java.util.Objects.requireNonNull;

import dev.octo.domain.TaskId;
import java.util.List;

/** What {@link CleanTasksUseCase#clean} did. */
public sealed interface CleanOutcome {

    /**
     * The selected tasks were looked at.
     *
     * @param removed the tasks removed, their files with them
     * @param stillStopping final tasks whose work has not ended yet (a cancelled process between
     *     TERM and KILL, a cancelled agent finishing its turn); they are left for a later clean
     * @param problems one sentence per task that could not be removed, or whose files could not
     *     all be removed
     */
    record Cleaned(List<TaskId> removed, List<TaskId> stillStopping, List<String> problems) implements CleanOutcome {
        public Cleaned {
            removed = List.copyOf(removed);
            stillStopping = List.copyOf(stillStopping);
            problems = List.copyOf(problems);
        }
    }

    /** Nothing was looked at, because of {@code message} (a status that is not final). */
    record Rejected(String message) implements CleanOutcome {
        public Rejected {
            requireNonNull(message, "message is null");
        }
    }
}
