package dev.octo.application.fakes;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.StoreException;
import dev.octo.application.port.out.TaskStore;
import dev.octo.domain.Task;
import dev.octo.domain.TaskId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TaskStore} over another whose saves fail with a {@link StoreException} while
 * {@link #failSaves} is on, or for the next few ({@link #failNextSaves}), as a full disk would make
 * them, and whose deletes fail while {@link #failDeletes} is on, as a folder without write
 * permission would; reads keep working.
 */
public final class FailingTaskStore implements TaskStore {

    private final TaskStore delegate;
    private volatile boolean failing;
    private volatile boolean failingDeletes;
    private final AtomicInteger toFail = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    public FailingTaskStore(TaskStore delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    public void failSaves(boolean on) {
        this.failing = on;
    }

    /** Makes the next {@code count} saves fail; those after them work again. */
    public void failNextSaves(int count) {
        toFail.set(count);
    }

    /** How many saves have failed so far. */
    public int failedSaves() {
        return failed.get();
    }

    @Override
    public void save(Task task) {
        if (failing || toFail.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            failed.incrementAndGet();
            throw new StoreException("No space left on device while saving task " + task.id());
        }
        delegate.save(task);
    }

    public void failDeletes(boolean on) {
        this.failingDeletes = on;
    }

    @Override
    public void delete(TaskId id) {
        if (failingDeletes) {
            throw new StoreException("Permission denied while removing task " + id);
        }
        delegate.delete(id);
    }

    @Override
    public Optional<Task> find(TaskId id) {
        return delegate.find(id);
    }

    @Override
    public List<Task> list() {
        return delegate.list();
    }

    @Override
    public List<String> loadProblems() {
        return delegate.loadProblems();
    }
}
