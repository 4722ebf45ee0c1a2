package dev.octo.domain.canary;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Canary: a domain record doubling as a persistence document. */
public record JacksonAnnotatedTask(@JsonProperty("task_id") String id) {
}
