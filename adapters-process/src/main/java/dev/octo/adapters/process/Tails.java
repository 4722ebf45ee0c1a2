package dev.octo.adapters.process;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * Reads the end of a log file without reading the rest of it: a command may write gigabytes, and
 * only the end is ever shown.
 */
final class Tails {

    private static final int CHUNK = 8 * 1024;

    private Tails() {
    }

    /**
     * The last {@code maxBytes} bytes of {@code file} as UTF-8 text; empty when the file is missing.
     * Bytes that are not UTF-8 become U+FFFD. Continuation bytes at the cut are dropped, so a tail
     * that starts in the middle of a character does not begin with replacement characters.
     */
    static String lastBytes(Path file, int maxBytes) throws IOException {
        try (FileChannel channel = open(file)) {
            long size = channel.size();
            long from = Math.max(0, size - maxBytes);
            return decode(read(channel, from, size), from > 0);
        } catch (NoSuchFileException missing) {
            return "";
        }
    }

    /**
     * The last {@code maxLines} lines of {@code file}, each ending as it ends in the file; empty when
     * the file is missing or empty. Reads backwards from the end and at most {@code maxBytes}: when
     * the lines are longer than that, the text starts inside the first line.
     */
    static String lastLines(Path file, int maxLines, int maxBytes) throws IOException {
        if (maxLines <= 0) {
            return "";
        }
        try (FileChannel channel = open(file)) {
            long size = channel.size();
            if (size == 0) {
                return "";
            }
            long floor = Math.max(0, size - maxBytes);
            // a final newline ends the last line; it does not start one more
            long scanEnd = endsWithNewline(channel, size) ? size - 1 : size;
            long start = floor;
            int newlines = 0;
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            scan:
            for (long chunkEnd = scanEnd; chunkEnd > floor; ) {
                long chunkStart = Math.max(floor, chunkEnd - CHUNK);
                chunk.clear().limit((int) (chunkEnd - chunkStart));
                readFully(channel, chunk, chunkStart);
                for (int i = chunk.limit() - 1; i >= 0; i--) {
                    if (chunk.get(i) == '\n' && ++newlines == maxLines) {
                        start = chunkStart + i + 1;
                        break scan;
                    }
                }
                chunkEnd = chunkStart;
            }
            return decode(read(channel, start, size), start > 0 && start == floor);
        } catch (NoSuchFileException missing) {
            return "";
        }
    }

    /**
     * What {@code file} holds past byte {@code from}: at most its last {@code maxBytes} bytes, as
     * UTF-8 text of whole characters. A character whose last bytes are not written yet is left for
     * the next read, which goes on from {@link Slice#end()}. A file shorter than {@code from} was
     * written anew and is read from its start; a missing file is empty.
     */
    static Slice since(Path file, long from, int maxBytes) throws IOException {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes is positive, not " + maxBytes);
        }
        try (FileChannel channel = open(file)) {
            long size = channel.size();
            long start = from > size ? 0 : from;
            long skipped = Math.max(0, size - start - maxBytes);
            start += skipped;
            ByteBuffer bytes = read(channel, start, size);
            if (skipped > 0) {
                // the cut may fall inside a character: its remaining bytes are left out too
                for (int i = 0; i < 3 && bytes.hasRemaining() && isContinuation(bytes.get(bytes.position())); i++) {
                    bytes.get();
                    skipped++;
                }
            }
            int whole = wholeCharactersEnd(bytes);
            long end = start + whole;
            bytes.limit(whole);
            return new Slice(decode(bytes, false), skipped, end);
        } catch (NoSuchFileException missing) {
            return new Slice("", 0, 0);
        }
    }

    /**
     * Text read from a log.
     *
     * @param skippedBytes bytes before the text that were left out
     * @param end the byte of the file the text ends before
     */
    record Slice(String text, long skippedBytes, long end) {
    }

    /**
     * Where the bytes from {@code bytes}' position end in a whole character: before the last
     * character's first byte when fewer bytes follow it than it needs. Bytes that are no UTF-8 at
     * all count as whole: they decode as U+FFFD.
     */
    private static int wholeCharactersEnd(ByteBuffer bytes) {
        int limit = bytes.limit();
        for (int i = limit - 1; i >= Math.max(bytes.position(), limit - 4); i--) {
            byte b = bytes.get(i);
            if (isContinuation(b)) {
                continue;
            }
            int length = (b & 0x80) == 0 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
            return limit - i < length ? i : limit;
        }
        return limit;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /**
     * Opens {@code file} to read only when it is a regular file: a FIFO put in a log's place would
     * block the reader (and the command asking for a tail) for ever, and a link could lead anywhere.
     */
    private static FileChannel open(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new IOException(file + " is not a regular file; it is not read");
        }
        return FileChannel.open(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    }

    private static boolean endsWithNewline(FileChannel channel, long size) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        readFully(channel, last, size - 1);
        return last.limit() == 1 && last.get(0) == '\n';
    }

    private static ByteBuffer read(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(to - from));
        readFully(channel, buffer, from);
        return buffer;
    }

    /**
     * Reads from {@code position} until {@code buffer} is full or the file ends (it may shrink if a
     * new run truncates it), and leaves the buffer flipped: the bytes read, from index 0.
     */
    private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                break;
            }
            at += read;
        }
        buffer.flip();
    }

    private static String decode(ByteBuffer bytes, boolean cutInside) {
        if (cutInside) {
            // at most three continuation bytes (10xxxxxx) follow a character's first byte
            for (int skipped = 0; skipped < 3 && bytes.hasRemaining()
                    && (bytes.get(bytes.position()) & 0xC0) == 0x80; skipped++) {
                bytes.get();
            }
        }
        try {
            return UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException impossible) {
            // REPLACE on both actions means the decoder never reports an error
            throw new IllegalStateException(impossible);
        }
    }
}
