package dev.octo.domain;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * A task's time limit. A task has none unless one was asked for; when one was, the task keeps both
 * what was asked and what the {@link TimeoutPolicy} applied, so a user can see why a limit differs
 * from the one given.
 */
public sealed interface Timeout {

    Timeout NONE = new None();

    /** The limit in force, or empty when the task may run for ever. */
    Optional<Duration> applied();

    /** The limit that was asked for, or empty when none was. */
    Optional<Duration> requested();

    static Timeout limited(Duration requested, Duration applied) {
        return new Limited(requested, applied);
    }

    /** No limit. */
    record None() implements Timeout {
        @Override
        public Optional<Duration> applied() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> requested() {
            return Optional.empty();
        }
    }

    /** A limit of {@code applied}, given when {@code requested} was asked for. */
    record Limited(Duration requestedLimit, Duration appliedLimit) implements Timeout {
        public Limited {
            requireNonNull(requestedLimit, "requestedLimit is null");
            requireNonNull(appliedLimit, "appliedLimit is null");
            if (requestedLimit.isNegative() || requestedLimit.isZero()) {
                throw new IllegalArgumentException("a timeout must be positive, not " + requestedLimit);
            }
            if (appliedLimit.compareTo(requestedLimit) < 0) {
                throw new IllegalArgumentException("the applied timeout " + appliedLimit
                        + " is below the requested " + requestedLimit);
            }
        }

        @Override
        public Optional<Duration> applied() {
            return Optional.of(appliedLimit);
        }

        @Override
        public Optional<Duration> requested() {
            return Optional.of(requestedLimit);
        }
    }
}
