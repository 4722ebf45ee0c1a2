package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.CleanOutcome;
import dev.octo.application.port.in.CleanTasks;
import dev.octo.application.port.out.ConversationStore;
import dev.octo.application.port.out.ProcessRunner;
import dev.octo.application.port.out.StoreException;
import dev.octo.application.port.out.TaskStore;
import dev.octo.domain.Task;
import dev.octo.domain.TaskEntry;
import dev.octo.domain.TaskId;
import dev.octo.domain.TaskStatus;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Removes finished tasks with their files (logs and exit file of a process, conversation of an
 * agent), never a task that waits, runs or is paused, nor one whose cancelled work has not stopped
 * writing yet.
 */
final class TaskCleaner {

    private static final System.Logger LOG = System.getLogger(TaskCleaner.class.getName());

    private final TaskStore store;
    private final Optional<ConversationStore> conversations;
    private final ProcessRunner processes;
    private final TaskChanges changes;
    private final WorkerSlots slots;
    private final Clock clock;

    TaskCleaner(TaskStore store, Optional<ConversationStore> conversations, ProcessRunner processes,
            TaskChanges changes, WorkerSlots slots, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.conversations = requireNonNull(conversations, "conversations is null");
        this.processes = requireNonNull(processes, "processes is null");
        this.changes = requireNonNull(changes, "changes is null");
        this.slots = requireNonNull(slots, "slots is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    CleanOutcome clean(CleanTasks request) {
        requireNonNull(request, "request is null");
        if (request.status().isPresent() && !request.status().get().isFinal()) {
            TaskStatus status = request.status().get();
            return new CleanOutcome.Rejected("Cannot clean " + status.label() + " tasks: only finished tasks"
                    + " (completed, failed or cancelled) are removed, never one that waits, runs or is paused;"
                    + " cancel one to end it first.");
        }
        Optional<Instant> finishedBefore = request.olderThan().map(clock.instant()::minus);
        Predicate<TaskEntry> selected = task -> task.isFinal()
                && request.status().map(status -> task.status() == status).orElse(true)
                && finishedBefore.map(limit -> !task.finishedAt().orElse(task.updatedAt()).isAfter(limit))
                        .orElse(true);
        List<TaskId> removed = new ArrayList<>();
        List<TaskId> stillStopping = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<TaskEntry> chosen = new ArrayList<>(store.entries().stream().filter(selected).toList());
        // oldest first, as they were made
        Collections.reverse(chosen);
        for (TaskEntry task : chosen) {
            switch (removeFinished(task.id(), selected, problems)) {
                case REMOVED -> removed.add(task.id());
                case STILL_STOPPING -> stillStopping.add(task.id());
                case KEPT -> {
                    // gone meanwhile, or its file could not be removed (a problem says so)
                }
            }
        }
        return new CleanOutcome.Cleaned(removed, stillStopping, problems);
    }

    private enum Removal { REMOVED, STILL_STOPPING, KEPT }

    /**
     * Removes the final task {@code id} with its files, under its task lock so that no change that
     * read it before can save it again afterwards.
     */
    private Removal removeFinished(TaskId id, Predicate<TaskEntry> selected, List<String> problems) {
        ReentrantLock taskLock = changes.lockFor(id);
        taskLock.lock();
        try {
            Optional<Task> found = store.find(id);
            if (found.isEmpty() || !selected.test(TaskEntry.of(found.get()))) {
                return Removal.KEPT;
            }
            // a cancelled task whose process gets TERM then KILL, or whose agent ends its turn,
            // may still write its logs or its conversation: it is removed once that is over
            if (slots.runningIds().contains(id)) {
                return Removal.STILL_STOPPING;
            }
            try {
                store.delete(id);
            } catch (StoreException e) {
                LOG.log(Level.WARNING, "could not remove task " + id, e);
                problems.add("Could not remove task " + id + ": " + e.getMessage());
                return Removal.KEPT;
            }
            // The task file goes first: a crash or a failure from here on leaves logs, an exit file
            // or a conversation without their task, which is harmless. Nothing reads them (the store
            // loads task files only, and output is read only for a stored task), and the id cannot
            // come back to life through them.
            try {
                switch (found.get().kind()) {
                    case PROCESS -> processes.deleteFiles(id);
                    case AGENT -> conversations.ifPresent(conversationStore -> conversationStore.delete(id));
                }
            } catch (StoreException e) {
                LOG.log(Level.WARNING, "removed task " + id + " but not all of its files", e);
                problems.add("Removed task " + id + ", but not all of its files: " + e.getMessage());
            }
            return Removal.REMOVED;
        } finally {
            taskLock.unlock();
        }
    }
}
