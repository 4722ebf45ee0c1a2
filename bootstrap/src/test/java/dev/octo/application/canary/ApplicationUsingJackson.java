package dev.octo.application.canary;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Canary: Jackson in the application. */
public record ApplicationUsingJackson(ObjectMapper value) {
}
