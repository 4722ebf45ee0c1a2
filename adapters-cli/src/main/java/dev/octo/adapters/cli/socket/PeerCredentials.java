package dev.octo.adapters.cli.socket;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;

/** Who is at the other end of an accepted connection, as far as the system says. */
@FunctionalInterface
interface PeerCredentials {

    /**
     * The user name of the peer's process, or empty where the system does not tell
     * ({@code SO_PEERCRED} is unsupported): then the socket file's mode alone keeps others out.
     */
    Optional<String> user(SocketChannel channel) throws IOException;

    /** The kernel's word through {@code SO_PEERCRED} (Linux and macOS). */
    static PeerCredentials fromTheSystem() {
        return channel -> channel.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED)
                ? Optional.of(channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName())
                : Optional.empty();
    }
}
