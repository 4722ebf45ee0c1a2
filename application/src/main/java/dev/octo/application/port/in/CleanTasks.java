package dev.octo.application.port.in;

import static java.util.Objects.requireNonNull;

import dev.octo.domain.TaskStatus;
import java.time.Duration;
import java.util.Optional;

/**
 * Which finished tasks to remove.
 *
 * @param status only the tasks in this status; empty means every final status
 * @param olderThan only the tasks that finished at least this long ago; empty means whenever they
 *     finished
 */
public record CleanTasks(Optional<TaskStatus> status, Optional<Duration> olderThan) {

    public CleanTasks {
        requireNonNull(status, "status is null");
        requireNonNull(olderThan, "olderThan is null");
        olderThan.filter(Duration::isNegative).ifPresent(negative -> {
            throw new IllegalArgumentException("an age is not negative, not " + negative);
        });
    }

    /** Every finished task, whenever it finished. */
    public static CleanTasks allFinished() {
        return new CleanTasks(Optional.empty(), Optional.empty());
    }
}
