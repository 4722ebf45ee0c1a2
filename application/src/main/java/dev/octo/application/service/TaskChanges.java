package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.TaskOutcome;
import dev.octo.application.port.out.StoreException;
import dev.octo.application.port.out.TaskStore;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEvent;
import dev.octo.domain.TaskId;
import dev.octo.domain.Transition;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The one place where a task is read, changed, saved and told of. A task's changes are read, applied
 * and saved under its own (striped) lock, so that no change overtakes another of the same task while
 * the writes of different tasks overlap; only a saved change is told. It keeps track of whether the
 * store can write: every channel is told once that Octo cannot write its state, and once when it can
 * again.
 */
final class TaskChanges {

    private static final System.Logger LOG = System.getLogger(TaskChanges.class.getName());

    private final TaskStore store;
    private final NotificationDispatcher notifications;
    private final StoreOutage storeOutage;
    private final StripedLocks locks = new StripedLocks();

    TaskChanges(TaskStore store, NotificationDispatcher notifications) {
        this.store = requireNonNull(store, "store is null");
        this.notifications = requireNonNull(notifications, "notifications is null");
        this.storeOutage = new StoreOutage(notifications);
    }

    /** The lock that orders the changes of task {@code id}: always taken before the pool's lock. */
    ReentrantLock lockFor(TaskId id) {
        return locks.forId(id);
    }

    /** Task {@code id} as stored now. */
    Optional<Task> find(TaskId id) {
        return store.find(id);
    }

    /**
     * Applies {@code change} to task {@code id} under the task's own lock, saves the result and tells
     * everyone; a refusal or a failed write is a {@link TaskOutcome.Rejected} that leaves the task as
     * it was.
     */
    TaskOutcome change(TaskId id, Function<Task, Transition> change, String doneMessage) {
        ReentrantLock taskLock = lockFor(id);
        taskLock.lock();
        try {
            Optional<Task> found = store.find(id);
            if (found.isEmpty()) {
                return new TaskOutcome.Rejected(noSuchTask(id));
            }
            return switch (change.apply(found.get())) {
                case Transition.Refused refused -> new TaskOutcome.Rejected(refused.message());
                case Transition.Applied applied -> recorded(applied, doneMessage);
            };
        } finally {
            taskLock.unlock();
        }
    }

    /**
     * Records a change a user asked for: done with {@code message}, or rejected when the store cannot
     * write it, in which case nothing changed and nobody is told. Call with the task's lock held.
     */
    private TaskOutcome recorded(Transition.Applied applied, String message) {
        try {
            record(applied);
            return new TaskOutcome.Done(applied.task(), message);
        } catch (StoreException e) {
            LOG.log(Level.ERROR, "could not record a change of task " + applied.taskId(), e);
            return new TaskOutcome.Rejected("Could not record the change of task " + applied.taskId() + ": "
                    + e.getMessage());
        }
    }

    /**
     * Saves the changed task, then tells everyone. Call with the task's lock held.
     *
     * @throws StoreException when the store cannot write it; nobody is told then
     */
    void record(Transition.Applied applied) {
        save(applied.task());
        notifications.publish(applied.event());
    }

    /**
     * Stages the change {@code applied} (see {@link TaskStore#stage}) and tells everyone: for a change
     * that the next save of the task makes durable, and that recovery handles the loss of.
     */
    void stage(Transition.Applied applied) {
        try {
            store.stage(applied.task());
        } catch (StoreException e) {
            storeOutage.saveFailed(e);
            throw e;
        }
        notifications.publish(applied.event());
    }

    /** Saves {@code task}, keeping track of whether the store can write: its channels hear when not. */
    void save(Task task) {
        tracked(() -> store.save(task));
    }

    /**
     * Stages {@code task} (see {@link TaskStore#stage}) without telling anyone: for a detail of its
     * state that its next save writes, and whose loss in a crash recovery makes up for.
     */
    void stage(Task task) {
        tracked(() -> store.stage(task));
    }

    private void tracked(Runnable write) {
        try {
            write.run();
        } catch (StoreException e) {
            storeOutage.saveFailed(e);
            throw e;
        }
        storeOutage.saveSucceeded();
    }

    /** Tells everyone of {@code event}, whose change is saved already. */
    void publish(TaskEvent event) {
        notifications.publish(event);
    }

    static String noSuchTask(TaskId id) {
        return "No task " + id + ".";
    }
}
