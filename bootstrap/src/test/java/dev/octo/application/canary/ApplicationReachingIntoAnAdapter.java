package dev.octo.application.canary;

import dev.octo.adapters.cli.canary.CliUsingJLine;

/** Canary: the application pointing down at an adapter. */
public record ApplicationReachingIntoAnAdapter(CliUsingJLine value) {
}
