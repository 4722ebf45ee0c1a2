package dev.octo.application.port.in;

import static java.util.Objects.requireNonNull;

import dev.octo.domain.Task;

/** What a use case did: the task it made or changed, or why it did nothing. */
public sealed interface TaskOutcome {

    /** One sentence for the user. */
    String message();

    /** The use case did what was asked to {@code task}, as it is now. */
    record Done(Task task, String message) implements TaskOutcome {
        public Done {
            requireNonNull(task, "task is null");
            requireNonNull(message, "message is null");
        }
    }

    /** Nothing was changed, because of {@code message}. */
    record Rejected(String message) implements TaskOutcome {
        public Rejected {
            requireNonNull(message, "message is null");
        }
    }
}
