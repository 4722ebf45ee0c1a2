package dev.octo.adapters.persistence;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * The reader and the writer of one kind of document, made on first use rather than when a store is
 * built: making them sets Jackson up, some 50 ms of a JVM that has just started, and a start builds
 * its stores before its first prompt, which reads and writes no document.
 */
final class LazyCodec {

    private final Class<?> type;
    private volatile Made made;

    private record Made(ObjectReader reader, ObjectWriter writer) {
    }

    LazyCodec(Class<?> type) {
        this.type = requireNonNull(type, "type is null");
    }

    ObjectReader reader() {
        return made().reader();
    }

    ObjectWriter writer() {
        return made().writer();
    }

    private Made made() {
        Made both = made;
        if (both == null) {
            synchronized (this) {
                both = made;
                if (both == null) {
                    ObjectMapper mapper = Json.mapper();
                    both = new Made(mapper.readerFor(type), mapper.writerFor(type));
                    made = both;
                }
            }
        }
        return both;
    }
}
