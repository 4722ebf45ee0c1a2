package dev.octo.application.fakes;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until the test moves it. Its zone is UTC; {@link #withZone}
 * gives a view in another zone that moves with this one.
 */
public final class MutableClock extends Clock {

    /** Where a new clock starts unless told otherwise: a fixed, readable instant. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-02T03:04:05Z");

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    public MutableClock() {
        this(DEFAULT_START);
    }

    public MutableClock(Instant start) {
        this(new AtomicReference<>(requireNonNull(start, "start is null")), ZoneOffset.UTC);
    }

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** Moves the clock forward (or back, with a negative amount) and returns the new instant. */
    public Instant advance(Duration amount) {
        requireNonNull(amount, "amount is null");
        return now.updateAndGet(instant -> instant.plus(amount));
    }

    public void set(Instant instant) {
        now.set(requireNonNull(instant, "instant is null"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        requireNonNull(newZone, "newZone is null");
        return newZone.equals(zone) ? this : new MutableClock(now, newZone);
    }
}
