package dev.octo.application.fakes;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one way tests wait for something that another thread or process makes true: poll the
 * condition, a few milliseconds apart at first and at most {@link #MAX_PAUSE} apart later (so that a
 * condition that scans the process table does not load a busy machine), until it holds or the limit
 * passed.
 */
public final class Eventually {

    /** Long enough for a loaded machine, short enough that a hang fails the build quickly. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(10);

    private static final long FIRST_PAUSE_MILLIS = 5;
    private static final Duration MAX_PAUSE = Duration.ofMillis(50);

    private Eventually() {
    }

    public static void await(String what, BooleanSupplier condition) {
        await(what, DEFAULT_LIMIT, condition);
    }

    public static void await(Duration limit, BooleanSupplier condition) {
        await("a condition", limit, condition);
    }

    public static void await(String what, Duration limit, BooleanSupplier condition) {
        await(() -> what, limit, condition);
    }

    /**
     * Waits until {@code condition} holds, and fails with {@code what} when it still does not after
     * {@code limit}; the message is worked out only then.
     */
    public static void await(Supplier<String> what, Duration limit, BooleanSupplier condition) {
        if (!holds(limit, condition, what)) {
            throw new AssertionError("Still not true after " + limit + ": " + what.get());
        }
    }

    /** Whether {@code condition} holds within {@code limit}: true as soon as it does, false when it did not. */
    public static boolean holds(Duration limit, BooleanSupplier condition) {
        return holds(limit, condition, () -> "a condition");
    }

    /** Whether {@code condition} stayed false for all of {@code period}, looked at as often as {@link #holds}. */
    public static boolean staysFalse(Duration period, BooleanSupplier condition) {
        return !holds(period, condition);
    }

    private static boolean holds(Duration limit, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + limit.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for: " + what.get(), e);
            }
            pause = Math.min(pause * 2, MAX_PAUSE.toMillis());
        }
        return true;
    }
}
