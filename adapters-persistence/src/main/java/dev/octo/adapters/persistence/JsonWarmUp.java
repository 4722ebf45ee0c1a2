package dev.octo.adapters.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Sets Jackson up the way the stores use it, and forgets the result. The rehearsal of a start that
 * makes the JVM's ahead-of-time cache runs it, so that the cache holds Jackson's classes, which a
 * start itself loads only after its first prompt, when the task store first reads or writes a file.
 */
public final class JsonWarmUp {

    private JsonWarmUp() {
    }

    /** Builds a mapper and what reads and writes a task file, on the calling thread. */
    public static void run() {
        ObjectMapper mapper = Json.mapper();
        mapper.readerFor(TaskDocument.class);
        mapper.writerFor(TaskDocument.class);
        try {
            mapper.readTree("{\"warm\":[1,\"up\"]}");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Jackson cannot read its own example", e);
        }
    }
}
