package dev.octo.application.port.in;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.CommandCatalogue.TaskSubcommand;
import dev.octo.domain.TaskStatus;
import java.util.List;
import java.util.Optional;

/**
 * The answer to one line of user input, as values a front end draws its own way: the terminal
 * colours the rows of a table, Telegram puts buttons on a task's actions. None of them parses text.
 * {@link ReplyText#render} turns any of them into the plain text every channel can show as it is.
 */
public sealed interface Reply {

    /** Plain text: a confirmation, the help, an answer of the supervisor. */
    record Text(String text) implements Reply {
        public Text {
            requireNonNull(text, "text is null");
        }
    }

    /** The input was refused or malformed; {@code message} says why and, for a command, its usage. */
    record Error(String message) implements Reply {
        public Error {
            requireNonNull(message, "message is null");
        }
    }

    /**
     * The task table of {@code /tasks}, newest first.
     *
     * @param status the status asked for, when the user asked for one; says what an empty table lacks
     * @param older how many older tasks (in that status, when one was asked for) the table leaves
     *     out; {@code /tasks all} shows them
     */
    record Tasks(List<TaskView> rows, Optional<TaskStatus> status, int older) implements Reply {
        public Tasks {
            rows = List.copyOf(rows);
            requireNonNull(status, "status is null");
            if (older < 0) {
                throw new IllegalArgumentException("older must not be negative, not " + older);
            }
        }

        /** A table of every task asked for: none left out. */
        public Tasks(List<TaskView> rows, Optional<TaskStatus> status) {
            this(rows, status, 0);
        }
    }

    /**
     * One task in detail ({@code /task <id>}).
     *
     * @param body its lines (command, times, exit, logs, question, result, error, output tail),
     *     without the headline and without any hint of what to type next
     * @param actions what may be asked of it now, in the order {@code /help} lists them
     */
    record Detail(TaskView task, String body, List<TaskSubcommand> actions) implements Reply {
        public Detail {
            requireNonNull(task, "task is null");
            requireNonNull(body, "body is null");
            actions = List.copyOf(actions);
        }
    }

    /** A paused task's question, which waits for an answer ({@code /wait <id>} ended on it). */
    record Question(TaskView task, String question, List<TaskSubcommand> actions) implements Reply {
        public Question {
            requireNonNull(task, "task is null");
            requireNonNull(question, "question is null");
            actions = List.copyOf(actions);
        }
    }

    /**
     * The answer to {@code /exit} or {@code /quit} without arguments: the user wants to end this
     * session. The interpreter itself stops nothing. A front end that can end its session acts on
     * it (the terminal consoles end their loop, after asking about the process tasks that still
     * run); one that has nothing to end (a chat) shows {@code text}. With arguments, those commands
     * get an {@link Error} with the usage line instead.
     */
    record Leave(String text) implements Reply {
        public Leave {
            requireNonNull(text, "text is null");
        }
    }

    /** This reply as plain text, complete: {@link ReplyText#render}. */
    default String text() {
        return ReplyText.render(this);
    }

    static Reply text(String text) {
        return new Text(text);
    }

    static Reply error(String message) {
        return new Error(message);
    }
}
