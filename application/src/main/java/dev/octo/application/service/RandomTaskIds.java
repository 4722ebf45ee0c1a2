package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.TaskIds;
import dev.octo.application.port.out.TaskStore;
import dev.octo.domain.TaskId;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Random ids that no stored task has, nor any id given out before by this instance (a task may be
 * given its id a moment before it is stored).
 */
public final class RandomTaskIds implements TaskIds {

    private final TaskStore store;
    private final RandomGenerator random;
    private final Set<TaskId> issued = ConcurrentHashMap.newKeySet();

    /**
     * Ids drawn from a generator seeded from the clock: they must differ from every other, which is
     * checked, not be hard to guess. A SecureRandom would cost a start about 20 ms to set up.
     */
    public RandomTaskIds(TaskStore store) {
        this(store, new SplittableRandom());
    }

    public RandomTaskIds(TaskStore store, RandomGenerator random) {
        this.store = requireNonNull(store, "store is null");
        this.random = requireNonNull(random, "random is null");
    }

    @Override
    public synchronized TaskId next() {
        TaskId id = TaskId.random(random, candidate -> issued.contains(candidate) || store.contains(candidate));
        issued.add(id);
        return id;
    }
}
