package dev.octo.adapters.persistence;

import dev.octo.domain.TaskId;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per task id, taken from a fixed set: writes of the same id run one after the other,
 * writes of different ids rarely wait for each other, and the set never grows.
 */
final class StripedLocks {

    private static final int STRIPES = 64;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    StripedLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    ReentrantLock forId(TaskId id) {
        return locks[Math.floorMod(id.hashCode(), STRIPES)];
    }
}
