package dev.octo.application.port.in;

import static java.util.Objects.requireNonNull;

import dev.octo.domain.NewWork;
import dev.octo.domain.Task;
import dev.octo.domain.TaskStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The slash commands every front end offers: each one's name, arguments and help line. The
 * interpreter dispatches on them, {@code /help} lists them and the terminal completes them, all from
 * this one list, so a command added here is known to all three.
 */
public final class CommandCatalogue {

    /** How many tasks {@code /tasks} shows, the newest; {@code /tasks all} shows every one. */
    public static final int TASKS_SHOWN = 50;
    /** The word of {@code /tasks all}. */
    public static final String ALL = "all";
    /** How many lines of a task's output {@code /task <id> log} shows. */
    public static final int LOG_OUTPUT_LINES = 100;
    /** Where the help column starts in {@code /help}, after two blanks of indent. */
    private static final int SYNOPSIS_WIDTH = 37;

    /** A top-level slash command, in the order {@code /help} lists them. */
    public enum Command {
        BG("/bg", "[--timeout S] [--] <command>", "run a shell command in the background"),
        AGENT("/agent", "[--name NAME] [--timeout S] <prompt>", "give a task to an LLM agent"),
        TASKS("/tasks", "[all] [status]", "list the newest " + CommandCatalogue.TASKS_SHOWN
                + " tasks, newest first (all: every one)"),
        /** Shows one task; its actions are the {@link TaskSubcommand}s. */
        TASK("/task", "<id>", "show one task: status, times, result, output tail"),
        WAIT("/wait", "[id]", "wait until that task (or every task) is done"),
        CLEAN("/clean", "[status] [--older-than DAYS]", "remove finished tasks and their files"),
        // Telegram sends /start when a chat opens; it is answered with the help but not listed
        HELP("/help", "", "this text", List.of(), List.of("/start")),
        EXIT("/exit", "", "leave", List.of("/quit"), List.of());

        private final String word;
        private final String arguments;
        private final String help;
        private final List<String> aliases;
        private final List<String> hiddenAliases;

        Command(String word, String arguments, String help) {
            this(word, arguments, help, List.of(), List.of());
        }

        Command(String word, String arguments, String help, List<String> aliases, List<String> hiddenAliases) {
            this.word = word;
            this.arguments = arguments;
            this.help = help;
            this.aliases = aliases;
            this.hiddenAliases = hiddenAliases;
        }

        /** What the user types, such as {@code /bg}. */
        public String word() {
            return word;
        }

        /** Its help line, such as "run a shell command in the background": what a command menu shows. */
        public String help() {
            return help;
        }

        /** The words a user is offered for it: its own and its listed aliases ({@code /exit}, {@code /quit}). */
        public List<String> words() {
            return Stream.concat(Stream.of(word), aliases.stream()).toList();
        }

        /** The usage line of this command, such as {@code Usage: /wait [id]}. */
        public String usage() {
            return "Usage: " + synopsis();
        }

        /** The command {@code typed} names, in any case; empty for an unknown one. */
        public static Optional<Command> named(String typed) {
            String lower = requireNonNull(typed, "typed is null").toLowerCase(Locale.ROOT);
            return Arrays.stream(values())
                    .filter(command -> command.words().contains(lower) || command.hiddenAliases.contains(lower))
                    .findFirst();
        }

        private String synopsis() {
            String words = String.join(", ", words());
            return arguments.isEmpty() ? words : words + " " + arguments;
        }
    }

    /** What {@code /task <id> <subcommand>} can ask of one task, in the order {@code /help} lists them. */
    public enum TaskSubcommand {
        CANCEL("cancel", "", "cancel a waiting, running or paused task", List.of()),
        RESUME("resume", "<answer>", "answer a paused agent task", List.of("answer")),
        LOG("log", "[-f]", "the task's output (last " + CommandCatalogue.LOG_OUTPUT_LINES + " lines; -f follows it)",
                List.of("logs")),
        RETRY("retry", "", "run a finished task again as a new task", List.of()),
        FOLLOWUP("followup", "<instruction>", "new agent task that goes on from this one", List.of("follow-up"));

        private final String word;
        private final String arguments;
        private final String help;
        /** Other spellings a user may type; they are understood but neither listed nor offered. */
        private final List<String> hiddenAliases;

        TaskSubcommand(String word, String arguments, String help, List<String> hiddenAliases) {
            this.word = word;
            this.arguments = arguments;
            this.help = help;
            this.hiddenAliases = hiddenAliases;
        }

        /** What the user types after the task id, such as {@code cancel}. */
        public String word() {
            return word;
        }

        /** The usage line of this subcommand, such as {@code Usage: /task <id> resume <answer>}. */
        public String usage() {
            return "Usage: " + synopsis();
        }

        /**
         * What to type to do this to task {@code id}, such as {@code /task abcd1234 resume <answer>}:
         * the hint a text channel shows where another would show a button.
         */
        public String typed(String id) {
            String words = Command.TASK.word + " " + id + " " + word;
            return arguments.isEmpty() ? words : words + " " + arguments;
        }

        /**
         * What may be asked of {@code task} now, in the order {@code /help} lists them: cancel while
         * it is not final, resume while it is paused, its log once it started, retry and follow-up
         * once it is final ({@link Task#refusesNewWork}).
         */
        public static List<TaskSubcommand> applicableTo(Task task) {
            return Arrays.stream(values()).filter(sub -> switch (sub) {
                case CANCEL -> !task.isFinal();
                case RESUME -> task.status() == TaskStatus.PAUSED;
                case LOG -> task.startedAt().isPresent();
                case RETRY -> task.refusesNewWork(NewWork.RETRY).isEmpty();
                case FOLLOWUP -> task.refusesNewWork(NewWork.FOLLOW_UP).isEmpty();
            }).toList();
        }

        /** The subcommand {@code typed} names, in any case; empty for an unknown one. */
        public static Optional<TaskSubcommand> named(String typed) {
            String lower = requireNonNull(typed, "typed is null").toLowerCase(Locale.ROOT);
            return Arrays.stream(values())
                    .filter(sub -> sub.word.equals(lower) || sub.hiddenAliases.contains(lower))
                    .findFirst();
        }

        private String synopsis() {
            String words = Command.TASK.word + " " + Command.TASK.arguments + " " + word;
            return arguments.isEmpty() ? words : words + " " + arguments;
        }
    }

    private CommandCatalogue() {
    }

    /** What {@code /help} answers: every command and subcommand with its help line. */
    public static String help() {
        List<String> lines = new ArrayList<>();
        lines.add("Commands:");
        for (Command command : Command.values()) {
            lines.add(helpLine(command.synopsis(), command.help));
            if (command == Command.TASK) {
                for (TaskSubcommand subcommand : TaskSubcommand.values()) {
                    lines.add(helpLine(subcommand.synopsis(), subcommand.help));
                }
            }
        }
        lines.add("Any other text goes to the supervisor. Task ids may be shortened to a unique prefix.");
        return String.join("\n", lines);
    }

    /** The usage line of {@code /task} with all of its subcommands. */
    public static String taskUsage() {
        return Command.TASK.usage() + " [" + Arrays.stream(TaskSubcommand.values())
                .map(sub -> sub.arguments.isEmpty() ? sub.word : sub.word + " " + sub.arguments)
                .collect(Collectors.joining(" | ")) + "]";
    }

    /** Every word a user may be offered as a command, in the order of {@code /help}. */
    public static List<String> commandWords() {
        return Arrays.stream(Command.values()).flatMap(command -> command.words().stream()).toList();
    }

    /** Every {@code /task} subcommand word, in the order of {@code /help}. */
    public static List<String> taskSubcommandWords() {
        return Arrays.stream(TaskSubcommand.values()).map(TaskSubcommand::word).toList();
    }

    private static String helpLine(String synopsis, String help) {
        if (synopsis.length() > SYNOPSIS_WIDTH - 2) {
            // too long for its column: the help goes below it, where the column starts
            return "  " + synopsis + "\n" + " ".repeat(SYNOPSIS_WIDTH + 2) + help;
        }
        return "  " + synopsis + " ".repeat(SYNOPSIS_WIDTH - synopsis.length()) + help;
    }
}
