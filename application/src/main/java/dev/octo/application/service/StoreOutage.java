package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.StoreException;
import java.lang.System.Logger.Level;

/**
 * Whether the task store can write, as the last save found it. When saves start to fail (a full
 * disk), every channel is told once, with what could not be written and why; when a save works
 * again, every channel is told that too. The failed saves in between are only logged, by those who
 * retry them.
 */
final class StoreOutage {

    private static final System.Logger LOG = System.getLogger(StoreOutage.class.getName());

    private final NotificationDispatcher notifications;
    // written under this object's lock; read without it on every save, which mostly finds it false
    private volatile boolean failing;

    StoreOutage(NotificationDispatcher notifications) {
        this.notifications = requireNonNull(notifications, "notifications is null");
    }

    /** A save failed with {@code error}: tells everyone, unless they were told already. */
    void saveFailed(StoreException error) {
        requireNonNull(error, "error is null");
        synchronized (this) {
            if (failing) {
                return;
            }
            failing = true;
            // published under the lock, so that this message and the one of the end keep their order
            notifications.publishProblem("Octo cannot write its state: " + error.getMessage()
                    + "\n  Running tasks go on, and how they end is kept and written as soon as the disk takes it;"
                    + " new tasks cannot be stored meanwhile. Free some space there.");
        }
        LOG.log(Level.ERROR, "Octo cannot write its state; what changes is kept and written again later", error);
    }

    /** A save worked: when saves had failed, tells everyone that the state is written again. */
    void saveSucceeded() {
        if (!failing) {
            return;
        }
        synchronized (this) {
            if (!failing) {
                return;
            }
            failing = false;
            notifications.publishProblem("Octo can write its state again.");
        }
        LOG.log(Level.INFO, "Octo can write its state again");
    }
}
