package dev.octo.application.fakes;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.out.TaskIds;
import dev.octo.domain.TaskId;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Predictable task ids: those scripted with {@link #thenGive}, in order, then {@code prefix}
 * followed by a counter padded to the id's length ({@code t0000001}, {@code t0000002}, ...).
 */
public final class SequentialTaskIds implements TaskIds {

    private final String prefix;
    private final Deque<TaskId> scripted = new ArrayDeque<>();
    private long counter;

    public SequentialTaskIds() {
        this("t");
    }

    public SequentialTaskIds(String prefix) {
        this.prefix = requireNonNull(prefix, "prefix is null");
        if (prefix.length() >= TaskId.LENGTH) {
            throw new IllegalArgumentException("the prefix leaves no room for a counter: " + prefix);
        }
    }

    /** The next ids given out are {@code ids}, in order. */
    public synchronized SequentialTaskIds thenGive(String... ids) {
        for (String id : ids) {
            scripted.addLast(TaskId.of(id));
        }
        return this;
    }

    @Override
    public synchronized TaskId next() {
        if (!scripted.isEmpty()) {
            return scripted.removeFirst();
        }
        counter++;
        String number = Long.toString(counter);
        int width = TaskId.LENGTH - prefix.length();
        if (number.length() > width) {
            throw new IllegalStateException("ran out of ids with prefix " + prefix);
        }
        return TaskId.of(prefix + "0".repeat(width - number.length()) + number);
    }
}
