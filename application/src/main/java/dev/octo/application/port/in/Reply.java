package dev.octo.application.port.in;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The answer to one line of user input. {@code text} is complete plain text that any channel can
 * show as it is; {@code tasks} holds the rows of a task table, for a front end that draws its own.
 *
 * <p>A {@link #leave() leave} reply answers {@code /exit} or {@code /quit} without arguments: the
 * user wants to end this session. The interpreter itself stops nothing. A front end that can end
 * its session acts on it (the terminal consoles end their loop, after asking about the process
 * tasks that still run), whether it spotted the command itself or got this reply; one that has
 * nothing to end (a chat) shows {@code text}. {@code /exit} or {@code /quit} with arguments is no
 * leave reply but an {@link #error() error} with the usage line.
 *
 * @param error whether the input was refused or malformed
 * @param leave whether the user asked to leave; never together with {@code error}
 */
public record Reply(String text, List<TaskView> tasks, boolean error, boolean leave) {

    public Reply {
        requireNonNull(text, "text is null");
        tasks = List.copyOf(tasks);
        if (error && leave) {
            throw new IllegalArgumentException("a reply is an error or a leave, not both: " + text);
        }
    }

    /** A reply that does not ask to leave. */
    public Reply(String text, List<TaskView> tasks, boolean error) {
        this(text, tasks, error, false);
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

    /** The answer to {@code /exit} or {@code /quit}: the front end ends the session if it can. */
    public static Reply leave(String text) {
        return new Reply(text, List.of(), false, true);
    }
}
