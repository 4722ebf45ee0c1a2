package dev.octo.application.service;

import dev.octo.domain.TaskId;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per task id, taken from a fixed set: changes of the same id run one after the other,
 * changes of different ids rarely wait for each other, and the set never grows. The engine orders
 * the changes of a task with it, and the stores order their writes of a task's files with it.
 */
public final class StripedLocks {

    private static final int STRIPES = 64;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    public StripedLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** The lock of task {@code id}; the same lock for the same id, always. */
    public ReentrantLock forId(TaskId id) {
        return locks[Math.floorMod(id.hashCode(), STRIPES)];
    }
}
