package dev.octo.adapters.cli.socket;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Lines of UTF-8 over a blocking socket channel, each at most {@link Protocol#MAX_LINE_BYTES} long.
 * Reads come from one thread, writes from one (possibly other) thread.
 */
final class LineChannel implements AutoCloseable {

    /** A line longer than the protocol allows; the rest of the stream cannot be trusted. */
    static final class LineTooLongException extends IOException {
        LineTooLongException() {
            super("line longer than " + Protocol.MAX_LINE_BYTES + " bytes");
        }
    }

    private final SocketChannel channel;
    private final ByteBuffer input = ByteBuffer.allocate(64 * 1024).flip();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineChannel(SocketChannel channel) {
        this.channel = requireNonNull(channel, "channel is null");
    }

    /** The next line without its newline, or null at end of stream (a last unfinished line is dropped). */
    String read() throws IOException {
        line.reset();
        while (true) {
            // copies up to the newline in one go: lines of a table are many kilobytes
            int start = input.position();
            int end = start;
            while (end < input.limit() && input.get(end) != '\n') {
                end++;
            }
            if (line.size() + (end - start) > Protocol.MAX_LINE_BYTES) {
                throw new LineTooLongException();
            }
            line.write(input.array(), input.arrayOffset() + start, end - start);
            if (end < input.limit()) {
                input.position(end + 1);
                return line.toString(StandardCharsets.UTF_8);
            }
            input.position(end);
            input.clear();
            int count = channel.read(input);
            input.flip();
            if (count < 0) {
                return null;
            }
        }
    }

    /** Writes {@code text} and a newline, whole. */
    void write(String text) throws IOException {
        ByteBuffer output = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        while (output.hasRemaining()) {
            channel.write(output);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
