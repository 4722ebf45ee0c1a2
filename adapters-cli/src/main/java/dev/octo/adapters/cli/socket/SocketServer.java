package dev.octo.adapters.cli.socket;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.TaskNotice;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.out.Notifier;
import dev.octo.domain.TaskStatus;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves the running Octo on a Unix domain socket ({@code .octo/octo.sock}): each connection is a
 * client (a second terminal, a script) whose input lines run through the same
 * {@link InterpretCommandUseCase} as the owning terminal's, and which hears of every task event.
 * Only the owning user may connect: the socket file has mode 0600 and, where the system tells, the
 * peer's user is checked before anything runs.
 *
 * <p>A client never holds up the engine or another client: events reach it through a bounded queue,
 * and a client whose queue overflows is dropped.
 */
public final class SocketServer implements Notifier, AutoCloseable {

    private static final Logger LOG = System.getLogger(SocketServer.class.getName());
    static final int QUEUE_CAPACITY = 1024;

    private final Path socket;
    private final InterpretCommandUseCase interpreter;
    private final PeerCredentials peers;
    private final Function<String, Optional<Integer>> exitCodes;
    /** The tasks by status, for the prompt's counts; none when not known. */
    private final Supplier<Optional<Map<TaskStatus, Integer>>> counts;
    private final int queueCapacity;
    private final String owner;
    private final ServerSocketChannel server;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong numbers = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    private SocketServer(Path socket, InterpretCommandUseCase interpreter, Function<String, Optional<Integer>> exitCodes,
            Supplier<Optional<Map<TaskStatus, Integer>>> counts, PeerCredentials peers, int queueCapacity)
            throws IOException {
        this.socket = requireNonNull(socket, "socket is null");
        this.interpreter = requireNonNull(interpreter, "interpreter is null");
        this.peers = requireNonNull(peers, "peers is null");
        this.exitCodes = requireNonNull(exitCodes, "exitCodes is null");
        this.counts = requireNonNull(counts, "counts is null");
        this.queueCapacity = queueCapacity;
        this.server = bind(socket);
        this.owner = Files.getOwner(socket).getName();
        this.acceptor = Thread.ofPlatform().daemon().name("octo-socket").start(this::accept);
    }

    /**
     * Serves on {@code socket}, replacing a file left there: call it only while holding the instance
     * lock, so that whatever is there belongs to an instance that is gone.
     */
    public static SocketServer open(Path socket, InterpretCommandUseCase interpreter, TaskQueries queries)
            throws IOException {
        return new SocketServer(socket, interpreter, ExitCodes.of(queries),
                () -> Optional.of(queries.unfinishedCounts()), PeerCredentials.fromTheSystem(), QUEUE_CAPACITY);
    }

    static SocketServer open(Path socket, InterpretCommandUseCase interpreter, PeerCredentials peers,
            int queueCapacity) throws IOException {
        return new SocketServer(socket, interpreter, id -> Optional.empty(), Optional::empty, peers, queueCapacity);
    }

    static SocketServer open(Path socket, InterpretCommandUseCase interpreter,
            Supplier<Optional<Map<TaskStatus, Integer>>> counts) throws IOException {
        return new SocketServer(socket, interpreter, id -> Optional.empty(), counts, PeerCredentials.fromTheSystem(),
                QUEUE_CAPACITY);
    }

    /**
     * Binds in a private folder, sets mode 0600, then moves the socket into place: at no moment can
     * another user connect, whatever the umask, and a stale file is replaced in one step.
     */
    private static ServerSocketChannel bind(Path socket) throws IOException {
        Path folder = Files.createTempDirectory(socket.toAbsolutePath().getParent(), ".sock-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path fresh = folder.resolve("s");
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(fresh));
            Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-------"));
            Files.move(fresh, socket, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        } finally {
            Files.deleteIfExists(fresh);
            Files.deleteIfExists(folder);
        }
    }

    /** The clients attached now. */
    public int clients() {
        return connections.size();
    }

    @Override
    public void notify(TaskNotice notice) {
        if (connections.isEmpty()) {
            return;
        }
        String message = Protocol.event(notice);
        Optional<String> counted = counts.get().map(Protocol::counts);
        for (Connection connection : connections) {
            connection.send(message);
            counted.ifPresent(connection::send);
        }
    }

    @Override
    public void notifyProblem(String message) {
        String line = Protocol.problem(message);
        for (Connection connection : connections) {
            connection.send(line);
        }
    }

    private void accept() {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Could not accept a client on " + socket, e);
                continue;
            }
            Thread.ofVirtual().name("octo-client-" + numbers.incrementAndGet()).start(() -> serve(channel));
        }
    }

    /** Checks the peer, then the hello, then answers lines until the client leaves or is dropped. */
    private void serve(SocketChannel channel) {
        LineChannel lines = new LineChannel(channel);
        Connection connection = null;
        try {
            if (!admitted(channel, lines)) {
                lines.close();
                return;
            }
            connection = new Connection(lines, queueCapacity);
            connections.add(connection);
            connection.start();
            connection.send(Protocol.welcome());
            counts.get().map(Protocol::counts).ifPresent(connection::send);
            readRequests(lines, connection);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "A client left: " + e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A client's connection failed", e);
        } finally {
            if (connection == null) {
                closeQuietly(lines);
            } else {
                connections.remove(connection);
                // what is queued still goes out: the reply to a last request before the client's end of input
                connection.close();
            }
        }
    }

    private static void closeQuietly(LineChannel lines) {
        try {
            lines.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Closing a client: " + e);
        }
    }

    private boolean admitted(SocketChannel channel, LineChannel lines) throws IOException {
        var user = peers.user(channel);
        if (user.isPresent() && !user.get().equals(owner)) {
            LOG.log(Level.WARNING, "Refused a client of user " + user.get() + " on " + socket);
            lines.write(Protocol.refused("octo: this Octo belongs to another user"));
            return false;
        }
        String hello = lines.read();
        if (hello == null) {
            return false;
        }
        Object version;
        try {
            Map<String, Object> message = Json.parseObject(hello);
            if (!"octo".equals(message.get("hello"))) {
                lines.write(Protocol.refused("octo: expected a hello, such as " + Protocol.hello()));
                return false;
            }
            version = message.get("version");
        } catch (IllegalArgumentException e) {
            lines.write(Protocol.refused("octo: expected a hello, such as " + Protocol.hello()));
            return false;
        }
        if (!(version instanceof Long number) || number != Protocol.VERSION) {
            lines.write(Protocol.refused("octo: this Octo speaks protocol version " + Protocol.VERSION
                    + ", the client " + version + "; use the same version of octo for both"));
            return false;
        }
        return true;
    }

    private void readRequests(LineChannel lines, Connection connection) throws IOException {
        while (!closed && connection.open()) {
            String line;
            try {
                line = lines.read();
            } catch (LineChannel.LineTooLongException e) {
                connection.sendLast(Protocol.error("octo: a line longer than " + Protocol.MAX_LINE_BYTES
                        + " bytes; closing the connection"));
                return;
            }
            if (line == null) {
                return;
            }
            String input;
            try {
                Object value = Json.parseObject(line).get("line");
                if (!(value instanceof String text)) {
                    connection.answer(Protocol.error("octo: a request is {\"line\":\"<input>\"}"));
                    continue;
                }
                input = text;
            } catch (IllegalArgumentException e) {
                connection.answer(Protocol.error("octo: malformed request: " + e.getMessage()));
                continue;
            }
            Reply reply = interpreter.handle(Protocol.CHANNEL, input,
                    text -> connection.answer(Protocol.progress(text)));
            connection.answer(Protocol.reply(reply, exitCodes));
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Closing the socket: " + e);
        }
        for (Connection connection : connections) {
            connection.abort();
        }
        try {
            // the instance lock is still held: the file is this server's
            if (Files.exists(socket) && !Files.isDirectory(socket)) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Removing " + socket + ": " + e);
        }
        acceptor.interrupt();
    }
}
