package dev.octo.application.canary;

import dev.octo.bootstrap.canary.WiringModule;

/** Canary: the application pointing down at the wiring. */
public record ApplicationReachingIntoBootstrap(WiringModule value) {
}
