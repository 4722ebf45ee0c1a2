package dev.octo.adapters.process.canary;

import com.google.inject.Injector;

/** Canary: Guice in an adapter. */
public record ProcessAdapterUsingGuice(Injector value) {
}
