package dev.octo.application.service;

import static dev.octo.application.service.CommandInterpreter.CLEAN_USAGE;
import static dev.octo.application.service.CommandInterpreter.MAX_CLEAN_DAYS;
import static dev.octo.application.port.in.TaskView.abbreviate;
import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.CleanOutcome;
import dev.octo.application.port.in.CleanTasks;
import dev.octo.application.port.in.CleanTasksUseCase;
import dev.octo.application.port.in.Reply;
import dev.octo.domain.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code /clean [status] [--older-than DAYS]}: its options read, the use case asked, its outcome told. */
final class CleanCommand {

    private final CleanTasksUseCase useCase;

    CleanCommand(CleanTasksUseCase useCase) {
        this.useCase = requireNonNull(useCase, "useCase is null");
    }

    Reply clean(String rest) {
        Optional<TaskStatus> status = Optional.empty();
        Optional<Duration> olderThan = Optional.empty();
        List<String> words = rest.isEmpty() ? List.of() : List.of(rest.split("\\s+"));
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.startsWith("--")) {
                String days;
                if (word.equals("--older-than")) {
                    if (i + 1 == words.size()) {
                        return Reply.error("--older-than needs a number of days. " + CLEAN_USAGE);
                    }
                    days = words.get(++i);
                } else if (word.startsWith("--older-than=")) {
                    days = word.substring("--older-than=".length());
                } else {
                    return Reply.error("Unknown option '" + abbreviate(word, 40) + "'. " + CLEAN_USAGE);
                }
                if (olderThan.isPresent()) {
                    return Reply.error("--older-than is given twice. " + CLEAN_USAGE);
                }
                Optional<Integer> whole = parseWholeNumber(days, MAX_CLEAN_DAYS);
                if (whole.isEmpty()) {
                    return Reply.error("DAYS is a whole number from 0 to " + MAX_CLEAN_DAYS + ", not '"
                            + abbreviate(days, 40) + "'. " + CLEAN_USAGE);
                }
                olderThan = Optional.of(Duration.ofDays(whole.get()));
            } else {
                if (status.isPresent()) {
                    return Reply.error(CLEAN_USAGE);
                }
                status = TaskStatus.parse(word);
                if (status.isEmpty()) {
                    return Reply.error("Unknown status '" + abbreviate(word, 40) + "'. " + CLEAN_USAGE);
                }
            }
        }
        return switch (useCase.clean(new CleanTasks(status, olderThan))) {
            case CleanOutcome.Rejected rejected -> Reply.error(rejected.message());
            case CleanOutcome.Cleaned cleaned -> {
                int count = cleaned.removed().size();
                StringBuilder text = new StringBuilder(count == 0 ? "Nothing to clean."
                        : "Removed " + count + " finished task" + (count == 1 ? "" : "s") + ".");
                int stopping = cleaned.stillStopping().size();
                if (stopping > 0) {
                    text.append(' ').append(stopping).append(stopping == 1 ? " finished task is" : " finished tasks are")
                            .append(" still stopping; /clean again in a moment removes ")
                            .append(stopping == 1 ? "it." : "them.");
                }
                cleaned.problems().forEach(problem -> text.append('\n').append(problem));
                yield cleaned.problems().isEmpty() ? Reply.text(text.toString()) : Reply.error(text.toString());
            }
        };
    }

    /** {@code text} as a whole number from 0 to {@code max}; empty when it is not one. */
    private static Optional<Integer> parseWholeNumber(String text, int max) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        long value = Long.parseLong(text);
        return value <= max ? Optional.of((int) value) : Optional.empty();
    }
}
