package dev.octo.bootstrap.canary;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Canary: Jackson in bootstrap, which has no need of it. */
public record BootstrapUsingJackson(ObjectMapper value) {
}
