package dev.octo.application.canary;

import com.google.common.collect.ImmutableList;

/** Canary: Guava in the application. */
public record ApplicationUsingGuava(ImmutableList<String> value) {
}
