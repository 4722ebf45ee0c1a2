package dev.octo.bench;

import dev.octo.adapters.cli.socket.SocketClient;
import dev.octo.adapters.cli.socket.SocketClient.ServerMessage;
import dev.octo.adapters.cli.socket.SocketServer;
import dev.octo.adapters.llm.UnconfiguredSupervisorChat;
import dev.octo.application.port.in.Reply;
import dev.octo.application.service.CommandInterpreter;
import dev.octo.application.service.TaskEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * The round trip of {@code /tasks} through the socket (request, JSON reply, parse), against the
 * same command in-process, with N stored tasks (100 by default).
 */
public final class SocketBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = 501;
        Path dir = Files.createTempDirectory("octo-socket");
        Path octoDir = dir.resolve(".octo");
        try {
            StoreBench.fill(octoDir.resolve("tasks"), n);
            try (TaskEngine engine = Bench.engine(octoDir, 3)) {
                engine.start();
                CommandInterpreter interpreter = CommandInterpreter.over(engine, id -> List.of(),
                        new UnconfiguredSupervisorChat(), Clock.systemDefaultZone());
                double[] inProcess = new double[rounds];
                double[] socket = new double[rounds];
                try (SocketServer server = SocketServer.open(octoDir.resolve("octo.sock"), interpreter, engine);
                        SocketClient client = SocketClient.connect(octoDir.resolve("octo.sock"))) {
                    for (int i = 0; i < rounds; i++) {
                        long start = System.nanoTime();
                        Reply reply = interpreter.handle("bench", "/tasks");
                        inProcess[i] = (System.nanoTime() - start) / 1e6;
                        if (!(reply instanceof Reply.Tasks tasks && tasks.rows().size() == n)) {
                            throw new IllegalStateException("in-process /tasks listed the wrong rows");
                        }
                        start = System.nanoTime();
                        client.send("/tasks");
                        ServerMessage message;
                        do {
                            message = client.receive();
                        } while (!message.endsRequest());
                        socket[i] = (System.nanoTime() - start) / 1e6;
                        if (!(message.fields().get("tasks") instanceof List<?> rows && rows.size() == n)) {
                            throw new IllegalStateException("socket /tasks listed the wrong rows");
                        }
                    }
                }
                Arrays.sort(inProcess);
                Arrays.sort(socket);
                System.out.printf("/tasks with %d tasks, %d rounds: in-process median %.2f ms (p99 %.2f), "
                        + "through the socket median %.2f ms (p99 %.2f)%n", n, rounds,
                        inProcess[rounds / 2], inProcess[rounds * 99 / 100], socket[rounds / 2],
                        socket[rounds * 99 / 100]);
            }
        } finally {
            Bench.deleteTree(dir);
        }
    }
}
