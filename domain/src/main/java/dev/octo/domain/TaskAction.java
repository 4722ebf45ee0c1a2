package dev.octo.domain;

import java.util.Locale;

/** What can be asked of a task; {@link TaskStatus} says which are allowed where. */
public enum TaskAction {
    START,
    PAUSE,
    RESUME,
    COMPLETE,
    FAIL,
    CANCEL,
    /** Undoes a start whose process never ran: the task waits for a worker again. */
    REQUEUE;

    public String verb() {
        return name().toLowerCase(Locale.ROOT);
    }
}
