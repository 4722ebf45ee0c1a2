package dev.octo.adapters.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Sets Jackson up the way the stores use it, and forgets the result: its classes are then loaded and
 * initialized when the first store is built. A start runs it on a thread of its own while it reads
 * its configuration and takes its lock; Jackson's set-up is otherwise a good part of the time to the
 * first prompt.
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
