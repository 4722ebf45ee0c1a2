package dev.octo.adapters.cli.canary;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Canary: Jackson outside the persistence adapter. */
public record CliUsingJackson(ObjectMapper value) {
}
