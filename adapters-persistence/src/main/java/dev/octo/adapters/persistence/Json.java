package dev.octo.adapters.persistence;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/** The one Jackson set-up of the files Octo writes. */
final class Json {

    private Json() {
    }

    static ObjectMapper mapper() {
        // A task's result or a conversation may be large: the default limit on one string (20 M
        // characters) would make a file Octo wrote itself unreadable on the next start.
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(Integer.MAX_VALUE)
                        .build())
                .build();
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                // files written by a later Octo may carry fields this one does not know
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                // 600 seconds is written 600, not 6E+2
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .build();
    }

    /**
     * Reads {@code content} as the document {@code reader} is for.
     *
     * @throws InvalidDocumentException saying what is wrong, when it is not such a document
     */
    static <T> T read(ObjectReader reader, byte[] content) throws InvalidDocumentException {
        try {
            return reader.readValue(content);
        } catch (JsonProcessingException e) {
            throw new InvalidDocumentException(describe(e), e);
        } catch (IOException e) {
            throw new InvalidDocumentException("could not be parsed: " + e, e);
        }
    }

    /** Jackson's reason without the dump of the source it appends, plus where it happened. */
    static String describe(JsonProcessingException e) {
        String reason = e.getOriginalMessage();
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            reason = reason + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        }
        return "not valid JSON for this file: " + firstLine(reason);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unknown error";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
