package dev.octo.application.port.out;

import dev.octo.application.port.in.TaskNotice;

/** A channel (the terminal, Telegram) that tells the user what happened to a task. */
public interface Notifier {

    /**
     * Delivers the notice of a task event, also of those a person is not told of
     * ({@link TaskNotice.Type#told()}), which may still change what a front end shows. Called from
     * one thread, in the order events happened. A notifier that throws is logged and skipped; it
     * never stops other notifiers or the task.
     */
    void notify(TaskNotice notice);

    /**
     * Tells the user of a problem of Octo itself rather than of one task, and of its end: that it
     * cannot write its state (the disk is full), then that it can again. {@code message} is plain
     * text of one or more lines, ready to show as it is. Each problem is told once while it lasts,
     * not on every failed attempt. Called from the same thread as {@link #notify(TaskNotice)}, in order
     * with the events, and skipped when it throws, like it.
     *
     * <p>The default shows nothing; every channel a person reads should show it.
     */
    default void notifyProblem(String message) {
    }
}
