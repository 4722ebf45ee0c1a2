package dev.octo.domain.canary;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Not a canary: a well-behaved domain type that is told the time, which every domain rule allows. */
public record IsToldTheTime(Instant startedAt) {

    public Instant deadline(Duration limit) {
        return startedAt.plus(limit);
    }

    public Date asLegacyDate() {
        return new Date(startedAt.toEpochMilli());
    }
}
