package dev.octo.domain.canary;

import java.time.Clock;

/** Canary: a domain type holding a clock, even without reading it yet. */
public record HoldsAClock(Clock clock) {
}
