package dev.octo.application.fakes;

import dev.octo.application.port.out.TaskStore;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A {@link TaskStore} in a map: what the application's tests use instead of files. */
public final class InMemoryTaskStore implements TaskStore {

    private final ConcurrentMap<TaskId, Task> tasks = new ConcurrentHashMap<>();
    private final List<String> loadProblems = new ArrayList<>();

    @Override
    public void save(Task task) {
        tasks.put(task.id(), task);
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
