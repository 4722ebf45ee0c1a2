package dev.octo.domain.canary;

import com.google.common.collect.ImmutableList;

/** Canary: a library type in the domain; {@code List.copyOf} would do. */
public record DomainUsingGuava(ImmutableList<String> words) {
}
