package dev.octo.application.service;

import static dev.octo.application.service.CommandInterpreter.WAIT_USAGE;
import static dev.octo.application.port.in.TaskView.abbreviate;
import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.in.TaskQueries.Resolution;
import dev.octo.domain.Task;
import dev.octo.domain.TaskStatus;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code /wait [id]}: blocks until that task, or every task of this run, is done. A paused task
 * waits on a person, so it ends the wait too.
 */
final class WaitCommand {

    /** How often {@code /wait <id>} looks whether its task paused; only a final task wakes it. */
    private static final Duration PAUSE_CHECK = Duration.ofMillis(200);

    private final TaskQueries queries;
    private final TaskDetailText text;

    WaitCommand(TaskQueries queries, TaskDetailText text) {
        this.queries = requireNonNull(queries, "queries is null");
        this.text = requireNonNull(text, "text is null");
    }

    Reply await(String rest) throws InterruptedException {
        Duration forever = Duration.ofDays(365);
        if (rest.isEmpty()) {
            queries.awaitAllSettled(forever);
            // the tasks of this run: a script that waits for its own work is not told of every
            // task ever stored
            List<Task> all = queries.listSinceStart();
            Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
            all.forEach(task -> counts.merge(task.status(), 1L, Long::sum));
            if (all.isEmpty()) {
                return Reply.of("No tasks to wait for.");
            }
            String tally = counts.entrySet().stream()
                    .map(entry -> entry.getValue() + " " + entry.getKey().label())
                    .collect(Collectors.joining(", "));
            List<Task> paused = all.stream().filter(task -> task.status() == TaskStatus.PAUSED).toList();
            String pausedNote = paused.isEmpty() ? ""
                    : "\nWaiting for an answer: " + paused.stream().map(t -> t.id().value())
                            .collect(Collectors.joining(", ")) + " (/task <id> resume <answer>)";
            return Reply.of("All tasks are done: " + tally + "." + pausedNote);
        }
        if (rest.contains(" ")) {
            return Reply.error(WAIT_USAGE);
        }
        return switch (queries.resolve(rest)) {
            case Resolution.NotFound notFound -> Reply.error("No task matches '" + abbreviate(rest, 40) + "'.");
            case Resolution.Ambiguous ambiguous -> CommandInterpreter.ambiguous(ambiguous);
            case Resolution.Found found -> {
                Task done = awaitFinalOrPaused(found.task());
                if (done.status() == TaskStatus.PAUSED) {
                    yield Reply.of(text.headline(done) + "\nQuestion: " + done.question().orElse("")
                            + "\nAnswer with: /task " + done.id() + " resume <answer>");
                }
                yield Reply.of(text.headline(done) + TaskDetailText.outcomeLine(done));
            }
        };
    }

    /**
     * Waits until {@code task} is final or PAUSED. A paused task waits on a person, who may be the
     * one waiting here: like {@code /wait} for every task, this does not hold them up.
     */
    private Task awaitFinalOrPaused(Task task) throws InterruptedException {
        Task current = task;
        while (!current.isFinal() && current.status() != TaskStatus.PAUSED) {
            Optional<Task> now = queries.awaitFinal(current.id(), PAUSE_CHECK);
            if (now.isEmpty()) {
                return current;
            }
            current = now.get();
        }
        return current;
    }
}
