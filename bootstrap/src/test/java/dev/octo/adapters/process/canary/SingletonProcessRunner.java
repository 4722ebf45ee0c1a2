package dev.octo.adapters.process.canary;

import jakarta.inject.Singleton;

/** Canary: a DI scope annotation on an adapter class. */
@Singleton
public final class SingletonProcessRunner {
}
