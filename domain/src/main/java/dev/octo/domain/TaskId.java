package dev.octo.domain;

import static java.util.Objects.requireNonNull;

import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A task's short id: eight characters from {@code a-z} and {@code 0-9}, easy to type and to read
 * aloud. A unique prefix of it is enough to name the task in a command.
 */
public record TaskId(String value) implements Comparable<TaskId> {

    public static final int LENGTH = 8;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    public TaskId {
        requireNonNull(value, "value is null");
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException(
                    "a task id is " + LENGTH + " characters of a-z and 0-9, not '" + value + "'");
        }
    }

    public static TaskId of(String value) {
        return new TaskId(value);
    }

    // equals and hashCode written out: a record's own go through invokedynamic and are several times
    // slower until compiled, and a start with a large store looks up thousands of ids in maps

    @Override
    public boolean equals(Object other) {
        return other instanceof TaskId id && value.equals(id.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Whether {@code text} has the form of a task id. */
    public static boolean isWellFormed(String text) {
        // by hand, not with a regular expression: a start with a large store makes thousands of ids
        if (text == null || text.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Draws random ids until one is not {@code taken}. With 36^8 (about 2.8e12) ids, a draw that
     * collides is rare; the loop makes it impossible.
     */
    public static TaskId random(RandomGenerator random, Predicate<TaskId> taken) {
        requireNonNull(random, "random is null");
        requireNonNull(taken, "taken is null");
        while (true) {
            char[] chars = new char[LENGTH];
            for (int i = 0; i < LENGTH; i++) {
                chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            }
            TaskId id = new TaskId(new String(chars));
            if (!taken.test(id)) {
                return id;
            }
        }
    }

    @Override
    public int compareTo(TaskId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
