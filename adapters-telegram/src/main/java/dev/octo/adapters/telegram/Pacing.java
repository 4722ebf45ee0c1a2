package dev.octo.adapters.telegram;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How fast the bot talks to Telegram and how long it keeps trying.
 *
 * @param messageInterval the least time between two messages to one chat (Telegram allows about
 *     one a second); notifications that come faster are gathered into one message
 * @param firstRetry the wait after a first failed call; it doubles with each failure after it
 * @param longestRetry the longest wait between two tries
 * @param pollTimeout how long one {@code getUpdates} long poll may wait for an update
 * @param deliveryLimit how long a message that could not be sent is tried again before it is dropped
 * @param drainLimit how long {@link TelegramFrontEnd#close()} waits for queued messages to go out
 */
record Pacing(Duration messageInterval, Duration firstRetry, Duration longestRetry, Duration pollTimeout,
        Duration deliveryLimit, Duration drainLimit) {

    static final Pacing DEFAULT = new Pacing(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1),
            Duration.ofSeconds(50), Duration.ofHours(1), Duration.ofSeconds(5));

    Pacing {
        requireNonNull(messageInterval, "messageInterval is null");
        requireNonNull(firstRetry, "firstRetry is null");
        requireNonNull(longestRetry, "longestRetry is null");
        requireNonNull(pollTimeout, "pollTimeout is null");
        requireNonNull(deliveryLimit, "deliveryLimit is null");
        requireNonNull(drainLimit, "drainLimit is null");
    }

    /** The wait before try number {@code failures + 1}, after {@code failures} failed ones. */
    Duration retryAfter(int failures) {
        Duration wait = firstRetry;
        for (int i = 1; i < failures && wait.compareTo(longestRetry) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(longestRetry) > 0 ? longestRetry : wait;
    }
}
