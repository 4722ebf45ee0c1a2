package dev.octo.application.port.in;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The answer to one line of user input. {@code text} is complete plain text that any channel can
 * show as it is; {@code tasks} holds the rows of a task table, for a front end that draws its own.
 *
 * @param error whether the input was refused or malformed
 */
public record Reply(String text, List<TaskView> tasks, boolean error) {

    public Reply {
        requireNonNull(text, "text is null");
        tasks = List.copyOf(tasks);
    }

    public static Reply of(String text) {
        return new Reply(text, List.of(), false);
    }

    public static Reply error(String text) {
        return new Reply(text, List.of(), true);
    }

    public static Reply table(String text, List<TaskView> tasks) {
        return new Reply(text, tasks, false);
    }
}
