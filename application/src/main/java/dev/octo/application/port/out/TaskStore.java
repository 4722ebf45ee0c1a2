package dev.octo.application.port.out;

import dev.octo.domain.Task;
import dev.octo.domain.TaskEntry;
import dev.octo.domain.TaskId;
import java.util.List;
import java.util.Optional;

/** Where tasks are kept, so that they outlive the process that runs Octo. */
public interface TaskStore {

    /**
     * Stores {@code task}, replacing the earlier state of the same id. When this returns, the state
     * is durable: a crash right after it does not lose it.
     *
     * @throws StoreException when the task cannot be written
     */
    void save(Task task);

    /**
     * Makes {@code task} the current state of its id for {@link #find} and {@link #list}, without
     * waiting for it to be written: the next {@link #save} of the same id writes its own state, and
     * until then (or until {@link #checkpoint}) a crash may leave the earlier state on disk. For a
     * state that is about to be followed by another, whose loss the caller knows how to recover
     * from. A store may write it durably at once, as {@link #save} does.
     *
     * @throws StoreException when the task cannot be kept
     */
    default void stage(Task task) {
        save(task);
    }

    /** The task with {@code id}, or empty when there is none. */
    Optional<Task> find(TaskId id);

    /**
     * Every stored task in full, in no particular order. A store that keeps only the entries of old
     * tasks in memory reads their files here: ask {@link #entries()} to list tasks, and
     * {@link #unfinished()} for the tasks that are not final.
     */
    List<Task> list();

    /**
     * Every stored task as its entry, newest first ({@link TaskEntry#NEWEST_FIRST}). A store meant
     * for many tasks answers from memory, without reading a file or sorting.
     */
    default List<TaskEntry> entries() {
        return list().stream().map(TaskEntry::of).sorted(TaskEntry.NEWEST_FIRST).toList();
    }

    /**
     * Every stored task that is not final, in full, in no particular order: what a start picks up.
     * A store meant for many tasks answers from memory, without reading the files of final tasks.
     */
    default List<Task> unfinished() {
        return list().stream().filter(task -> !task.isFinal()).toList();
    }

    /**
     * Removes task {@code id}: no later {@link #find} or {@link #list} gives it, nor does a store
     * opened later on the same place. Removing a task that is not stored does nothing. When this
     * returns, the removal is durable.
     *
     * @throws StoreException when the task cannot be removed; it is then still stored
     */
    void delete(TaskId id);

    /** Whether a task with {@code id} is stored. */
    default boolean contains(TaskId id) {
        return find(id).isPresent();
    }

    /**
     * What could not be loaded when the store was opened: one line per task file that was moved
     * aside, saying which and why. Empty when everything loaded.
     */
    List<String> loadProblems();

    /**
     * Writes down, as Octo leaves, the states staged since their last save ({@link #stage}) and
     * what spares the next open work, such as an index that lags behind the tasks. The store stays
     * usable. A store with nothing to write does nothing; a failure is not thrown, since what is
     * written only saves work.
     */
    default void checkpoint() {
    }
}
