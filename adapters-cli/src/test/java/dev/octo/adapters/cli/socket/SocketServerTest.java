package dev.octo.adapters.cli.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octo.adapters.cli.socket.SocketClient.ServerMessage;
import dev.octo.application.fakes.Eventually;
import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.TaskNotice;
import dev.octo.domain.TaskKind;
import dev.octo.domain.TaskStatus;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketServerTest {

    @TempDir
    Path folder;

    private final EchoInterpreter interpreter = new EchoInterpreter();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    @Test
    void aClientsLineRunsThroughTheInterpreterAndGetsItsReply() throws Exception {
        Path socket = folder.resolve("octo.sock");
        serve(socket, PeerCredentials.fromTheSystem(), 1024);
        SocketClient client = client(socket);

        client.send("/tasks \"all\"\nand more");
        ServerMessage progress = client.receive();
        ServerMessage reply = client.receive();

        assertThat(progress.type()).isEqualTo("progress");
        assertThat(reply.type()).isEqualTo("reply");
        assertThat(reply.field("reply")).isEqualTo("text");
        assertThat(reply.text()).isEqualTo("echo: /tasks \"all\"\nand more");
        assertThat(interpreter.lines).containsExactly("/tasks \"all\"\nand more");
    }

    @Test
    void theSocketIsTheOwnersAloneAndReplacesAStaleFile() throws Exception {
        Path socket = folder.resolve("octo.sock");
        Files.writeString(socket, "left by a crashed instance");

        serve(socket, PeerCredentials.fromTheSystem(), 1024);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        assertThat(Files.getOwner(socket).getName()).isEqualTo(System.getProperty("user.name"));
        client(socket).send("/help");
    }

    @Test
    void aDeadSocketIsNotTakenForALiveServer() throws Exception {
        Path socket = folder.resolve("octo.sock");
        Path dead = folder.resolve("dead.sock");
        try (var channel = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.bind(UnixDomainSocketAddress.of(dead));
        }

        // a crashed instance leaves its socket file; nothing listens on it any more
        assertThat(dead).exists();
        assertThatThrownBy(() -> SocketClient.connect(dead)).isInstanceOf(IOException.class);
    }

    @Test
    void anotherUserIsRefusedBeforeAnythingRuns() throws Exception {
        Path socket = folder.resolve("octo.sock");
        serve(socket, channel -> Optional.of("mallory"), 1024);

        assertThatThrownBy(() -> SocketClient.connect(socket))
                .isInstanceOf(SocketClient.RefusedException.class)
                .hasMessageContaining("another user");
        assertThat(interpreter.lines).isEmpty();
    }

    @Test
    void aClientOfAnotherVersionIsRefusedWithOneLine() throws Exception {
        Path socket = folder.resolve("octo.sock");
        serve(socket, PeerCredentials.fromTheSystem(), 1024);

        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            LineChannel lines = new LineChannel(channel);
            lines.write("{\"hello\":\"octo\",\"version\":2}");

            ServerMessage refusal = ServerMessage.parse(lines.read());
            assertThat(refusal.type()).isEqualTo("refused");
            assertThat(refusal.text()).contains("version 1").doesNotContain("\n");
            assertThat(lines.read()).isNull();
        }
    }

    @Test
    void malformedRequestsGetAnErrorAndTheConnectionGoesOn() throws Exception {
        Path socket = folder.resolve("octo.sock");
        serve(socket, PeerCredentials.fromTheSystem(), 1024);
        SocketClient client = client(socket);

        client.sendRaw("not json");
        assertThat(client.receive().type()).isEqualTo("error");
        client.sendRaw("{\"line\":42}");
        assertThat(client.receive().type()).isEqualTo("error");
        client.sendRaw("{\"line\":\"/ok\"");
        assertThat(client.receive().type()).isEqualTo("error");
        client.send("/ok");

        assertThat(client.receive().type()).isEqualTo("progress");
        assertThat(client.receive().text()).isEqualTo("echo: /ok");
        assertThat(interpreter.lines).containsExactly("/ok");
    }

    @Test
    void aLineOverOneMebibyteClosesThatConnectionAndOthersGoOn() throws Exception {
        Path socket = folder.resolve("octo.sock");
        serve(socket, PeerCredentials.fromTheSystem(), 1024);
        SocketClient greedy = client(socket);
        SocketClient other = client(socket);

        greedy.send("x".repeat(Protocol.MAX_LINE_BYTES + 10));

        ServerMessage error = greedy.receive();
        assertThat(error.type()).isEqualTo("error");
        assertThat(error.text()).contains("longer than");
        assertThat(greedy.receive()).isNull();
        other.send("/still");
        other.receive();
        assertThat(other.receive().text()).isEqualTo("echo: /still");
    }

    @Test
    void aClientClosingMidRequestStopsNothingElse() throws Exception {
        Path socket = folder.resolve("octo.sock");
        serve(socket, PeerCredentials.fromTheSystem(), 1024);
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            LineChannel lines = new LineChannel(channel);
            lines.write(Protocol.hello());
            lines.read();
            channel.write(ByteBuffer.wrap("{\"line\":\"/half".getBytes(StandardCharsets.UTF_8)));
        }
        SocketClient after = client(socket);

        after.send("/next");
        after.receive();

        assertThat(after.receive().text()).isEqualTo("echo: /next");
        assertThat(interpreter.lines).containsExactly("/next");
    }

    @Test
    void everyClientHearsOfEveryEvent() throws Exception {
        Path socket = folder.resolve("octo.sock");
        SocketServer server = serve(socket, PeerCredentials.fromTheSystem(), 1024);
        SocketClient one = client(socket);
        SocketClient two = client(socket);
        Eventually.await("both attached", () -> server.clients() == 2);

        server.notify(completed("abcd1234", "echo \u001b[31mhi"));

        for (SocketClient client : List.of(one, two)) {
            ServerMessage event = client.receive();
            assertThat(event.type()).isEqualTo("event");
            assertThat(event.field("event")).isEqualTo("completed");
            assertThat(event.field("id")).isEqualTo("abcd1234");
            assertThat(event.text()).startsWith("Task abcd1234 completed: echo \u001b[31mhi");
        }
    }

    @Test
    void theCountsOfWhatIsNotFinalComeAfterTheWelcomeAndAfterEveryEvent() throws Exception {
        Path socket = folder.resolve("octo.sock");
        Map<TaskStatus, Integer> byStatus = new EnumMap<>(TaskStatus.class);
        for (TaskStatus status : TaskStatus.values()) {
            byStatus.put(status, 0);
        }
        byStatus.put(TaskStatus.RUNNING, 2);
        byStatus.put(TaskStatus.DISPATCHED, 1);
        byStatus.put(TaskStatus.RESUMED, 1);
        SocketServer server = SocketServer.open(socket, interpreter, () -> Optional.of(Map.copyOf(byStatus)));
        opened.add(server);
        SocketClient client = client(socket);

        ServerMessage first = client.receive();
        assertThat(first.type()).isEqualTo("counts");
        assertThat(first.fields()).containsEntry("running", 2L).containsEntry("waiting", 2L)
                .containsEntry("paused", 0L);

        Eventually.await("attached", () -> server.clients() == 1);
        byStatus.put(TaskStatus.RUNNING, 1);
        server.notify(completed("abcd1234", "make"));

        assertThat(client.receive().type()).isEqualTo("event");
        assertThat(client.receive().fields()).containsEntry("type", "counts").containsEntry("running", 1L);
    }

    @Test
    void aClientThatNeverReadsIsDroppedAndTheOthersGoOn() throws Exception {
        Path socket = folder.resolve("octo.sock");
        SocketServer server = serve(socket, PeerCredentials.fromTheSystem(), 64);
        SocketClient stuck = client(socket);
        SocketClient reader = client(socket);
        List<ServerMessage> heard = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try {
                ServerMessage message;
                while ((message = reader.receive()) != null) {
                    heard.add(message);
                }
            } catch (IOException e) {
                // closed at the end of the test
            }
        });
        Eventually.await("both attached", () -> server.clients() == 2);

        // big events fill the socket's buffers, then the stuck client's queue; the reader keeps up
        String big = "y".repeat(64 * 1024);
        for (int i = 0; i < 500; i++) {
            server.notify(completed("id" + i, big));
            if (i % 10 == 9) {
                int sent = i + 1;
                Eventually.await("the reader keeps up", () -> heard.size() == sent);
            }
        }

        Eventually.await("the stuck client dropped", () -> server.clients() == 1);
        Eventually.await("the reader heard every event", Duration.ofSeconds(30), () -> heard.size() == 500);
        assertThat(stuck).isNotNull();
    }

    @Test
    void aFloodOfRequestsFromOneClientIsAnsweredAndTheOtherClientGoesOn() throws Exception {
        Path socket = folder.resolve("octo.sock");
        serve(socket, PeerCredentials.fromTheSystem(), 1024);
        SocketClient flooder = client(socket);
        SocketClient other = client(socket);
        int[] replies = new int[1];
        Thread counting = Thread.ofVirtual().start(() -> {
            try {
                ServerMessage message;
                while (replies[0] < 10_000 && (message = flooder.receive()) != null) {
                    if (message.type().equals("reply")) {
                        replies[0]++;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });

        for (int i = 0; i < 10_000; i++) {
            flooder.send("/n " + i);
        }
        other.send("/other");
        other.receive();

        assertThat(other.receive().text()).isEqualTo("echo: /other");
        counting.join(Duration.ofSeconds(60));
        assertThat(replies[0]).isEqualTo(10_000);
    }

    private SocketServer serve(Path socket, PeerCredentials peers, int capacity) throws IOException {
        SocketServer server = SocketServer.open(socket, interpreter, peers, capacity);
        opened.add(server);
        return server;
    }

    private SocketClient client(Path socket) throws IOException {
        SocketClient client = SocketClient.connect(socket);
        opened.add(client);
        return client;
    }

    private static TaskNotice completed(String id, String summary) {
        return new TaskNotice(id, TaskKind.PROCESS, TaskNotice.Type.COMPLETED, summary, "", Instant.EPOCH,
                Optional.empty(), List.of());
    }

    /** Answers every line with its echo, after one line of progress. */
    private static final class EchoInterpreter implements InterpretCommandUseCase {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public Reply handle(String channel, String line) {
            return handle(channel, line, text -> { });
        }

        @Override
        public Reply handle(String channel, String line, Consumer<String> progress) {
            lines.add(line);
            progress.accept("working");
            return Reply.text("echo: " + line);
        }

        @Override
        public Reply handle(String channel, String line, Duration longestWait) {
            return handle(channel, line);
        }
    }
}
