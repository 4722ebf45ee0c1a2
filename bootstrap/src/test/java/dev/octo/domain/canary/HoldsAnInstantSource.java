package dev.octo.domain.canary;

import java.time.InstantSource;

/** Canary: a clock under its other name. */
public record HoldsAnInstantSource(InstantSource time) {
}
