package dev.octo.bootstrap;

import static java.util.Objects.requireNonNull;

import dev.octo.adapters.cli.socket.SocketServer;
import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.service.TaskEngine;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The socket of the instance that holds the lock, through which other terminals and scripts reach
 * it. Without it Octo still works in its own terminal: a socket that cannot be opened is told once.
 */
final class SocketServing implements AutoCloseable {

    /** The socket's name inside the state folder. */
    static final String FILE_NAME = "octo.sock";

    private final Path socket;
    private final InterpretCommandUseCase interpreter;
    private final TaskEngine engine;
    private final TaskQueries queries;
    private SocketServer server;

    SocketServing(Path octoDir, InterpretCommandUseCase interpreter, TaskQueries queries, TaskEngine engine) {
        this.queries = requireNonNull(queries, "queries is null");
        this.socket = octoDir.resolve(FILE_NAME);
        this.interpreter = requireNonNull(interpreter, "interpreter is null");
        this.engine = requireNonNull(engine, "engine is null");
    }

    /** Serves from now on, once the engine started: a client's first command sees recovered tasks. */
    void start(Consumer<String> problems) {
        try {
            server = SocketServer.open(socket, interpreter, queries);
            engine.register(server);
        } catch (IOException | RuntimeException e) {
            System.getLogger(SocketServing.class.getName()).log(Level.WARNING, "Cannot serve " + socket, e);
            problems.accept("octo: other terminals cannot attach: cannot serve " + socket + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
