package dev.octo.domain;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/** Something that happened to a task. Every event carries the task as it is right after. */
public sealed interface TaskEvent {

    Task task();

    Instant at();

    default TaskId taskId() {
        return task().id();
    }

    record Dispatched(Task task, Instant at) implements TaskEvent {
        public Dispatched {
            requireNonNull(task, "task is null");
            requireNonNull(at, "at is null");
        }
    }

    record Started(Task task, Instant at) implements TaskEvent {
        public Started {
            requireNonNull(task, "task is null");
            requireNonNull(at, "at is null");
        }
    }

    record Paused(Task task, Instant at, String question) implements TaskEvent {
        public Paused {
            requireNonNull(task, "task is null");
            requireNonNull(at, "at is null");
            requireNonNull(question, "question is null");
        }
    }

    record Resumed(Task task, Instant at, String answer) implements TaskEvent {
        public Resumed {
            requireNonNull(task, "task is null");
            requireNonNull(at, "at is null");
            requireNonNull(answer, "answer is null");
        }
    }

    record Completed(Task task, Instant at, String result) implements TaskEvent {
        public Completed {
            requireNonNull(task, "task is null");
            requireNonNull(at, "at is null");
            requireNonNull(result, "result is null");
        }
    }

    record Failed(Task task, Instant at, String reason) implements TaskEvent {
        public Failed {
            requireNonNull(task, "task is null");
            requireNonNull(at, "at is null");
            requireNonNull(reason, "reason is null");
        }
    }

    /**
     * @param requestedOn the channel whose user asked for the cancel ("cli", "telegram:42") and saw
     *     it answered there; empty when no channel did
     */
    record Cancelled(Task task, Instant at, Optional<String> requestedOn) implements TaskEvent {
        public Cancelled {
            requireNonNull(task, "task is null");
            requireNonNull(at, "at is null");
            requireNonNull(requestedOn, "requestedOn is null");
        }

        /** A cancel that no channel asked for. */
        public Cancelled(Task task, Instant at) {
            this(task, at, Optional.empty());
        }
    }
}
