package dev.octo.domain.canary;

import java.time.Instant;

/** Canary: the domain reading the clock instead of being told the time. */
public final class CallsInstantNow {

    public Instant startedAt() {
        return Instant.now();
    }
}
