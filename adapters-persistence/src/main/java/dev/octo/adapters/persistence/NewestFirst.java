package dev.octo.adapters.persistence;

import static java.util.Objects.requireNonNull;

import dev.octo.domain.TaskEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The entries of the stored tasks in the order of a list, {@link TaskEntry#NEWEST_FIRST}, as an
 * array that every change replaces (copy on write): a listing of any size is one read of a field,
 * and a change costs a binary search and a copy of references, far less than the save it follows.
 */
final class NewestFirst {

    /** The array behind {@link #view}, read and replaced under this object's lock. */
    private TaskEntry[] sorted = new TaskEntry[0];
    private volatile List<TaskEntry> view = List.of();

    /** The entries now, newest first; the list never changes. */
    List<TaskEntry> list() {
        return view;
    }

    /** Replaces every entry with {@code entries}, which need not be sorted (nearly sorted is cheap). */
    synchronized void reset(List<TaskEntry> entries) {
        TaskEntry[] all = entries.toArray(TaskEntry[]::new);
        Arrays.sort(all, TaskEntry.NEWEST_FIRST);
        publish(all);
    }

    /** Puts {@code entry} in its place, instead of {@code previous} (the same task's) when there was one. */
    synchronized void put(TaskEntry entry, TaskEntry previous) {
        requireNonNull(entry, "entry is null");
        TaskEntry[] current = array();
        if (previous != null) {
            int at = Arrays.binarySearch(current, previous, TaskEntry.NEWEST_FIRST);
            if (at >= 0 && previous.createdAt().equals(entry.createdAt())) {
                TaskEntry[] next = current.clone();
                next[at] = entry; // the common case: a change of status, in the same place
                publish(next);
                return;
            }
            if (at >= 0) {
                current = without(current, at);
            }
        }
        int at = Arrays.binarySearch(current, entry, TaskEntry.NEWEST_FIRST);
        TaskEntry[] next;
        if (at >= 0) {
            next = current.clone();
            next[at] = entry;
        } else {
            int insertion = -(at + 1);
            next = new TaskEntry[current.length + 1];
            System.arraycopy(current, 0, next, 0, insertion);
            next[insertion] = entry;
            System.arraycopy(current, insertion, next, insertion + 1, current.length - insertion);
        }
        publish(next);
    }

    /** Takes {@code entry} out, when it is in. */
    synchronized void remove(TaskEntry entry) {
        TaskEntry[] current = array();
        int at = Arrays.binarySearch(current, entry, TaskEntry.NEWEST_FIRST);
        if (at >= 0) {
            publish(without(current, at));
        }
    }

    /** The final entries, newest first. */
    List<TaskEntry> finals() {
        List<TaskEntry> finals = new ArrayList<>();
        for (TaskEntry entry : view) {
            if (entry.isFinal()) {
                finals.add(entry);
            }
        }
        return finals;
    }

    private TaskEntry[] array() {
        return sorted;
    }

    private static TaskEntry[] without(TaskEntry[] entries, int at) {
        TaskEntry[] next = new TaskEntry[entries.length - 1];
        System.arraycopy(entries, 0, next, 0, at);
        System.arraycopy(entries, at + 1, next, at, entries.length - at - 1);
        return next;
    }

    private void publish(TaskEntry[] entries) {
        sorted = entries;
        view = Collections.unmodifiableList(Arrays.asList(entries));
    }
}
