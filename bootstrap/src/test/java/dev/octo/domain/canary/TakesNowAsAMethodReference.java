package dev.octo.domain.canary;

import java.time.LocalDateTime;
import java.util.function.Supplier;

/** Canary: a clock read hidden in a method reference, and on another type than Instant. */
public final class TakesNowAsAMethodReference {

    public Supplier<LocalDateTime> clock() {
        return LocalDateTime::now;
    }
}
