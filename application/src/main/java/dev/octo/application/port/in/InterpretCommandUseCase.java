package dev.octo.application.port.in;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Answers one line a user typed: a slash command becomes a use-case call, any other text goes to
 * the supervisor. Every front end (the terminal, Telegram) reaches the commands through this port,
 * so a command behaves the same on each. It never throws on bad input: a malformed command gets its
 * usage line, an unknown or ambiguous id says so.
 */
public interface InterpretCommandUseCase {

    /**
     * Answers one line typed on {@code channel} ("cli", "telegram:42"). {@code /wait} blocks until
     * the tasks it waits for are done. With no way to show text before the reply,
     * {@code /task <id> log -f} answers with the output so far and says that following needs the
     * terminal.
     */
    Reply handle(String channel, String line);

    /**
     * Answers one line as {@link #handle(String, String)} does; a command that shows text as it goes
     * ({@code /task <id> log -f}, which follows a task's output until the task ends or the thread is
     * interrupted) hands that text to {@code progress}, some whole lines at a time, before it returns
     * its reply.
     */
    Reply handle(String channel, String line, Consumer<String> progress);

    /**
     * Answers one line as {@link #handle(String, String)} does, but {@code /wait} waits at most
     * {@code longestWait}: for a front end that cannot block for long (a chat). A wait cut short
     * answers with the state of the tasks then; the notification of each comes anyway.
     */
    Reply handle(String channel, String line, Duration longestWait);
}
