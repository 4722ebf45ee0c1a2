package dev.octo.adapters.cli.socket;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;

/**
 * A client of a running Octo's {@link SocketServer}: sends input lines, receives the server's
 * messages in order. One thread may send while another receives.
 */
public final class SocketClient implements AutoCloseable {

    /** The server answered the hello with a refusal; the message says why, in one line. */
    public static final class RefusedException extends IOException {
        RefusedException(String message) {
            super(message);
        }
    }

    private final LineChannel lines;
    private final Object writing = new Object();

    private SocketClient(LineChannel lines) {
        this.lines = lines;
    }

    /**
     * Connects and says hello. Throws an {@link IOException} when no server listens there (a socket
     * file left by a crashed instance refuses the connection), a {@link RefusedException} when the
     * server will not talk to this client.
     */
    public static SocketClient connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        LineChannel lines = new LineChannel(channel);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            lines.write(Protocol.hello());
            String answer = lines.read();
            if (answer == null) {
                throw new IOException("the Octo on " + socket + " closed the connection");
            }
            ServerMessage welcome = ServerMessage.parse(answer);
            if (!welcome.type().equals("welcome")) {
                throw new RefusedException(welcome.text());
            }
            return new SocketClient(lines);
        } catch (IOException | RuntimeException e) {
            lines.close();
            throw e;
        }
    }

    /** Sends one input line, as typed. */
    public void send(String line) throws IOException {
        synchronized (writing) {
            lines.write(Protocol.request(line));
        }
    }

    /** Sends a line as it is, for a test of what a server does with a bad one. */
    void sendRaw(String line) throws IOException {
        synchronized (writing) {
            lines.write(line);
        }
    }

    /** The server's next message, or null when the server is gone. */
    public ServerMessage receive() throws IOException {
        String line = lines.read();
        return line == null ? null : ServerMessage.parse(line);
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }

    /**
     * One message of the server: its {@code type} ({@code reply}, {@code progress}, {@code event},
     * {@code problem}, {@code error}, {@code welcome}, {@code refused}) and its fields as JSON values.
     */
    public record ServerMessage(String type, Map<String, Object> fields, String json) {

        static ServerMessage parse(String line) throws IOException {
            try {
                Map<String, Object> fields = Json.parseObject(line);
                return new ServerMessage(String.valueOf(fields.get("type")), fields, line);
            } catch (IllegalArgumentException e) {
                throw new IOException("not a message of Octo: " + e.getMessage());
            }
        }

        /** The text to show: a reply's or event's rendering, a problem, or an error's or refusal's message. */
        public String text() {
            Object text = fields.get("text");
            if (text == null) {
                text = fields.get("message");
            }
            return text == null ? "" : text.toString();
        }

        /** The named field as a string, or empty text when absent. */
        public String field(String name) {
            Object value = fields.get(name);
            return value == null ? "" : value.toString();
        }

        /** Whether this ends the answer to a request: a reply, or an error about the request. */
        public boolean endsRequest() {
            return type.equals("reply") || type.equals("error");
        }
    }
}
