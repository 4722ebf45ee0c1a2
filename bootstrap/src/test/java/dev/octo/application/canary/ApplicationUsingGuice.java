package dev.octo.application.canary;

import com.google.inject.Injector;

/** Canary: Guice in the application. */
public record ApplicationUsingGuice(Injector value) {
}
