package dev.octo.adapters.cli.socket;

import dev.octo.adapters.cli.socket.SocketClient.ServerMessage;
import java.io.IOException;
import java.util.function.Consumer;

/** A way to the interpreter of the Octo that runs the tasks: in this process, or over its socket. */
public interface Link extends AutoCloseable {

    /**
     * Runs one input line and returns its reply (or the server's error about the request), as the
     * socket protocol writes it; text shown on the way (a followed log) goes to {@code progress}.
     *
     * @throws IOException when the serving Octo is gone
     */
    ServerMessage request(String line, Consumer<String> progress) throws IOException;

    @Override
    void close() throws IOException;
}
