package dev.octo.application.port.out;

import dev.octo.domain.TaskEvent;

/** A channel (the terminal, Telegram) that tells the user what happened to a task. */
public interface Notifier {

    /**
     * Delivers {@code event}. Called from one thread, in the order events happened. A notifier that
     * throws is logged and skipped; it never stops other notifiers or the task.
     */
    void notify(TaskEvent event);
}
