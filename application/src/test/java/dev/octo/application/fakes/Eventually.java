package dev.octo.application.fakes;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for something that another thread makes true, polling every few milliseconds, and fails
 * with {@code what} when it is still false after the limit.
 */
public final class Eventually {

    /** Long enough for a loaded machine, short enough that a hang fails the build quickly. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(10);

    private Eventually() {
    }

    public static void await(String what, BooleanSupplier condition) {
        await(what, DEFAULT_LIMIT, condition);
    }

    public static void await(String what, Duration limit, BooleanSupplier condition) {
        await(() -> what, limit, condition);
    }

    /** Like {@link #await(String, Duration, BooleanSupplier)}, with a message worked out on failure. */
    public static void await(Supplier<String> what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Still not true after " + limit + ": " + what.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for: " + what.get(), e);
            }
        }
    }
}
