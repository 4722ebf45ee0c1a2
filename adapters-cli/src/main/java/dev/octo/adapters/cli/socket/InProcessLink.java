package dev.octo.adapters.cli.socket;

import static java.util.Objects.requireNonNull;

import dev.octo.adapters.cli.socket.SocketClient.ServerMessage;
import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.in.TaskQueries;
import java.io.IOException;
import java.util.function.Consumer;

/** The interpreter of this process, answering as the socket would. */
public final class InProcessLink implements Link {

    private final InterpretCommandUseCase interpreter;
    private final TaskQueries queries;

    public InProcessLink(InterpretCommandUseCase interpreter, TaskQueries queries) {
        this.interpreter = requireNonNull(interpreter, "interpreter is null");
        this.queries = requireNonNull(queries, "queries is null");
    }

    @Override
    public ServerMessage request(String line, Consumer<String> progress) throws IOException {
        return ServerMessage.parse(Protocol.reply(interpreter.handle(Protocol.CHANNEL, line, progress),
                ExitCodes.of(queries)));
    }

    @Override
    public void close() {
    }
}
