package dev.octo.adapters.telegram.fake;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/** A file the bot sent with {@code sendDocument}: the name it gave and the bytes that arrived. */
public record Document(String fileName, byte[] content) {

    public Document {
        requireNonNull(fileName, "fileName is null");
        requireNonNull(content, "content is null");
    }

    public String contentAsText() {
        return new String(content, StandardCharsets.UTF_8);
    }
}
