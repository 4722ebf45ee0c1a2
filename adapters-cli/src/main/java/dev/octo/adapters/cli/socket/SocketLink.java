package dev.octo.adapters.cli.socket;

import static java.util.Objects.requireNonNull;

import dev.octo.adapters.cli.socket.SocketClient.ServerMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** The interpreter of the Octo serving a socket; the events it sends meanwhile are not this link's concern. */
public final class SocketLink implements Link {

    private final SocketClient client;

    private SocketLink(SocketClient client) {
        this.client = requireNonNull(client, "client is null");
    }

    /** Connects; see {@link SocketClient#connect}. */
    public static SocketLink connect(Path socket) throws IOException {
        return new SocketLink(SocketClient.connect(socket));
    }

    @Override
    public ServerMessage request(String line, Consumer<String> progress) throws IOException {
        client.send(line);
        while (true) {
            ServerMessage message = client.receive();
            if (message == null) {
                throw new IOException("the Octo serving this folder went away");
            }
            if (message.endsRequest()) {
                return message;
            }
            if (message.type().equals("progress")) {
                progress.accept(message.text());
            }
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
