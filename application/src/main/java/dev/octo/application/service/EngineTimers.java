package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine's one timer thread: it fires the timeouts of running tasks and the retries of the
 * saves the store could not write. Once the engine closes, no retry runs.
 */
final class EngineTimers {

    /** The pause before a failed save is tried again; it doubles with every failure, up to the next. */
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(10);

    private final AtomicBoolean closed;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "octo-timeouts");
        t.setDaemon(true);
        return t;
    });

    /** Timers that run no retry once {@code closed} is set. */
    EngineTimers(AtomicBoolean closed) {
        this.closed = requireNonNull(closed, "closed is null");
    }

    /**
     * Runs {@code action} on a thread of its own after {@code pause}, unless the engine closes
     * first.
     *
     * @return false when the engine is closed and {@code action} will not run
     */
    boolean later(Duration pause, Runnable action) {
        if (closed.get()) {
            return false;
        }
        try {
            timers.schedule(() -> {
                if (!closed.get()) {
                    Thread.ofVirtual().name("octo-retry").start(action);
                }
            }, pause.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs {@code action} on the timer thread after {@code delayMillis}. */
    ScheduledFuture<?> schedule(Runnable action, long delayMillis) {
        return timers.schedule(action, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** The pause before the try that follows {@code failures} failed ones. */
    static Duration retryPause(int failures) {
        Duration pause = FIRST_RETRY.multipliedBy(1L << Math.min(failures, 16));
        return pause.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause;
    }

    /** Stops the timer thread: no timeout fires and no retry runs from now on. */
    void shutdown() {
        timers.shutdownNow();
    }
}
