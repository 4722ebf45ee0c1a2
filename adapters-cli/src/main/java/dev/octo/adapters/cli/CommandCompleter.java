package dev.octo.adapters.cli;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.CommandCatalogue;
import dev.octo.application.port.in.CommandCatalogue.Command;
import dev.octo.application.port.in.CommandCatalogue.TaskSubcommand;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.domain.TaskEntry;
import dev.octo.domain.TaskAction;
import dev.octo.domain.TaskStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion for the slash commands: command names first, then task ids (newest first, from
 * the store as it is at that moment), the {@code /task} subcommands that apply to that task, and
 * status names.
 */
final class CommandCompleter implements Completer {

    static final List<String> COMMANDS = CommandCatalogue.commandWords();

    private final TaskQueries queries;

    CommandCompleter(TaskQueries queries) {
        this.queries = requireNonNull(queries, "queries is null");
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int index = line.wordIndex();
        if (index == 0) {
            addAll(candidates, COMMANDS);
            return;
        }
        Optional<Command> command = Command.named(words.get(0));
        if (command.isEmpty()) {
            return; // free text is the user's own
        }
        switch (command.get()) {
            case TASK -> {
                if (index == 1) {
                    addTaskIds(candidates);
                } else if (index == 2) {
                    addAll(candidates, subcommandsFor(words.get(1)));
                }
            }
            case TASKS -> {
                if (index == 1) {
                    for (TaskStatus status : TaskStatus.values()) {
                        candidates.add(candidate(status.label(), null, status.ordinal()));
                    }
                }
            }
            case CLEAN -> {
                if (index == 1) {
                    // only finished tasks can be cleaned
                    for (TaskStatus status : TaskStatus.values()) {
                        if (status.isFinal()) {
                            candidates.add(candidate(status.label(), null, status.ordinal()));
                        }
                    }
                }
            }
            case WAIT -> {
                if (index == 1) {
                    addTaskIds(candidates);
                }
            }
            case BG, HELP, EXIT -> {
                // a command line is the user's own; the others take no argument
            }
        }
    }

    /** The subcommands that apply to the task {@code idOrPrefix} names; all when it names no one task. */
    private List<String> subcommandsFor(String idOrPrefix) {
        if (!(queries.resolve(idOrPrefix) instanceof TaskQueries.Resolution.Found found)) {
            return CommandCatalogue.taskSubcommandWords();
        }
        TaskStatus status = found.task().status();
        return Arrays.stream(TaskSubcommand.values())
                .filter(subcommand -> applies(subcommand, status))
                .map(TaskSubcommand::word)
                .toList();
    }

    /** Whether {@code subcommand} can be asked of a task in {@code status}, as the domain's transitions say. */
    private static boolean applies(TaskSubcommand subcommand, TaskStatus status) {
        return switch (subcommand) {
            case CANCEL -> status.allows(TaskAction.CANCEL);
            case RESUME -> status.allows(TaskAction.RESUME);
            // they make a new task from a finished one
            case RETRY, FOLLOWUP -> status.isFinal();
            case LOG -> true; // every task has its output
        };
    }

    private void addTaskIds(List<Candidate> candidates) {
        List<TaskEntry> tasks = queries.list(Optional.empty());
        for (int i = 0; i < tasks.size(); i++) {
            TaskEntry task = tasks.get(i);
            String what = TaskTable.cut(TerminalText.neutralize(
                    task.summary().strip().replaceAll("\\s*\\R\\s*", " ")), 40);
            candidates.add(candidate(task.id().value(), task.status().label() + " · " + what, i));
        }
    }

    private static void addAll(List<Candidate> candidates, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            candidates.add(candidate(values.get(i), null, i));
        }
    }

    /** A whole word followed by a space; {@code order} keeps our order in the list JLine shows. */
    private static Candidate candidate(String value, String description, int order) {
        return new Candidate(value, value, null, description, null, null, true, order);
    }
}
