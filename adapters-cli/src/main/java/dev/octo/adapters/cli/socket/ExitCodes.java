package dev.octo.adapters.cli.socket;

import dev.octo.application.port.in.TaskQueries;
import java.util.Optional;
import java.util.function.Function;

/** The recorded exit code of a task's process, by the task's id. */
final class ExitCodes {

    private ExitCodes() {
    }

    static Function<String, Optional<Integer>> of(TaskQueries queries) {
        return id -> switch (queries.resolve(id)) {
            case TaskQueries.Resolution.Found found -> queries.exitCode(found.task().id());
            case TaskQueries.Resolution.NotFound notFound -> Optional.empty();
            case TaskQueries.Resolution.Ambiguous ambiguous -> Optional.empty();
        };
    }
}
