package dev.octo.application.service;

import static dev.octo.application.service.CommandInterpreter.WAIT_USAGE;
import static dev.octo.application.port.in.TaskView.abbreviate;
import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.CommandCatalogue.TaskSubcommand;
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
 * {@code /wait [id]}: blocks until that task, or every task of this run, is done, or a limit has
 * passed. A paused task waits on a person, so it ends the wait too.
 */
final class WaitCommand {

    /** How often {@code /wait <id>} looks whether its task paused; only a final task wakes it. */
    private static final Duration PAUSE_CHECK = Duration.ofMillis(200);

    /** What waiting without a limit means: longer than any task runs. */
    static final Duration FOREVER = Duration.ofDays(365);

    private final TaskQueries queries;
    private final TaskDetailText text;

    WaitCommand(TaskQueries queries, TaskDetailText text) {
        this.queries = requireNonNull(queries, "queries is null");
        this.text = requireNonNull(text, "text is null");
    }

    /**
     * Waits at most {@code limit}; a wait cut short answers with the state of the tasks then, as a
     * front end that cannot block for long (a chat) needs: the notification comes anyway.
     */
    Reply await(String rest, Duration limit) throws InterruptedException {
        if (rest.isEmpty()) {
            boolean settled = queries.awaitAllSettled(limit);
            // the tasks of this run: a script that waits for its own work is not told of every
            // task ever stored
            List<Task> all = queries.listSinceStart();
            Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
            all.forEach(task -> counts.merge(task.status(), 1L, Long::sum));
            if (all.isEmpty()) {
                return Reply.text("No tasks to wait for.");
            }
            String tally = counts.entrySet().stream()
                    .map(entry -> entry.getValue() + " " + entry.getKey().label())
                    .collect(Collectors.joining(", "));
            if (!settled) {
                return Reply.text("Not all tasks are done yet: " + tally + ". Each one is told when it ends.");
            }
            List<Task> paused = all.stream().filter(task -> task.status() == TaskStatus.PAUSED).toList();
            String pausedNote = paused.isEmpty() ? ""
                    : "\nWaiting for an answer: " + paused.stream().map(t -> t.id().value())
                            .collect(Collectors.joining(", ")) + " (" + TaskSubcommand.RESUME.typed("<id>") + ")";
            return Reply.text("All tasks are done: " + tally + "." + pausedNote);
        }
        if (rest.contains(" ")) {
            return Reply.error(WAIT_USAGE);
        }
        return switch (queries.resolve(rest)) {
            case Resolution.NotFound notFound -> Reply.error("No task matches '" + abbreviate(rest, 40) + "'.");
            case Resolution.Ambiguous ambiguous -> CommandInterpreter.ambiguous(ambiguous);
            case Resolution.Found found -> {
                Task done = awaitFinalOrPaused(found.task(), limit);
                if (done.status() == TaskStatus.PAUSED) {
                    yield text.question(done);
                }
                if (!done.isFinal()) {
                    yield Reply.text(text.headline(done) + "\nNot done yet; it is told when it ends.");
                }
                yield Reply.text(text.headline(done) + TaskDetailText.outcomeLine(done));
            }
        };
    }

    /**
     * Waits until {@code task} is final or PAUSED. A paused task waits on a person, who may be the
     * one waiting here: like {@code /wait} for every task, this does not hold them up.
     */
    private Task awaitFinalOrPaused(Task task, Duration limit) throws InterruptedException {
        Task current = task;
        // a monotonic clock: a wall clock set back must not make the wait longer
        long deadline = System.nanoTime() + (limit.compareTo(FOREVER) > 0 ? FOREVER : limit).toNanos();
        while (!current.isFinal() && current.status() != TaskStatus.PAUSED) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return current;
            }
            Optional<Task> now = queries.awaitFinal(current.id(), PAUSE_CHECK.compareTo(Duration.ofNanos(left)) < 0
                    ? PAUSE_CHECK : Duration.ofNanos(left));
            if (now.isEmpty()) {
                return current;
            }
            current = now.get();
        }
        return current;
    }
}
