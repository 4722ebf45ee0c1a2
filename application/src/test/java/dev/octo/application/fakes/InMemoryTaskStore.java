package dev.octo.application.fakes;

import dev.octo.application.port.out.TaskStore;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TaskStore} in a map: what the application's tests use instead of files. It remembers
 * which states were written ({@link #save}) and which were only staged ({@link #stage}), as a store
 * on disk would have them after a crash.
 */
public final class InMemoryTaskStore implements TaskStore {

    private final ConcurrentMap<TaskId, Task> tasks = new ConcurrentHashMap<>();
    private final ConcurrentMap<TaskId, List<Task>> written = new ConcurrentHashMap<>();
    private final List<String> loadProblems = new ArrayList<>();
    private final AtomicInteger checkpoints = new AtomicInteger();

    @Override
    public void save(Task task) {
        tasks.put(task.id(), task);
        written.computeIfAbsent(task.id(), id -> new CopyOnWriteArrayList<>()).add(task);
    }

    @Override
    public void stage(Task task) {
        tasks.put(task.id(), task);
    }

    /** Every state of task {@code id} that was written, oldest first; staged ones are not. */
    public List<Task> written(TaskId id) {
        return List.copyOf(written.getOrDefault(id, List.of()));
    }

    @Override
    public void checkpoint() {
        checkpoints.incrementAndGet();
    }

    /** How many times {@link #checkpoint} was called. */
    public int checkpoints() {
        return checkpoints.get();
    }

    @Override
    public Optional<Task> find(TaskId id) {
        return Optional.ofNullable(tasks.get(id));
    }

    @Override
    public void delete(TaskId id) {
        tasks.remove(id);
    }

    @Override
    public List<Task> list() {
        return List.copyOf(tasks.values());
    }

    @Override
    public List<String> loadProblems() {
        return List.copyOf(loadProblems);
    }

    /** Makes the store report {@code problem} as if a file had failed to load. */
    public void addLoadProblem(String problem) {
        loadProblems.add(problem);
    }
}
