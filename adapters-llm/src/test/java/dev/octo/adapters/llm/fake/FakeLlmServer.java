package dev.octo.adapters.llm.fake;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A model provider on 127.0.0.1 that gives the answers a test scripted, in the order scripted, to the
 * real LangChain4j clients: OpenAI chat completions, Anthropic Messages or Ollama chat, each plain or
 * streamed as the request asks. It records every request, so a test can check what the model was sent.
 *
 * <pre>{@code
 * try (FakeLlmServer server = FakeLlmServer.start(Protocol.OPENAI)) {
 *     server.answerToolCall("task_complete", "{\"summary\":\"done\"}");
 *     ChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("k").modelName("m").build();
 *     ...
 *     assertThat(server.requests().getFirst().toolNames()).contains("task_complete");
 * }
 * }</pre>
 *
 * A request that finds no answer left is refused with 400 and a body that says so, which the clients do
 * not retry, so a test that scripted too few answers fails at once.
 */
public final class FakeLlmServer implements AutoCloseable {

    /** The wire format the server speaks, one per LangChain4j client. */
    public enum Protocol {
        /** {@code POST /v1/chat/completions}, streamed as server-sent events. */
        OPENAI,
        /** {@code POST /v1/messages}, streamed as server-sent events. */
        ANTHROPIC,
        /** {@code POST /api/chat}, streamed as one JSON object a line. */
        OLLAMA
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Protocol protocol;
    private final Wire wire;
    private final HttpServer http;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Object lock = new Object();
    private final Deque<Answer> answers = new ArrayDeque<>();
    private final List<RecordedRequest> requests = new ArrayList<>();

    private FakeLlmServer(Protocol protocol) throws IOException {
        this.protocol = requireNonNull(protocol, "protocol is null");
        this.wire = switch (protocol) {
            case OPENAI -> new OpenAiWire();
            case ANTHROPIC -> new AnthropicWire();
            case OLLAMA -> new OllamaWire();
        };
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", this::handle);
        http.setExecutor(threads);
    }

    /** A server on a free port of 127.0.0.1, answering in {@code protocol}; close it after the test. */
    public static FakeLlmServer start(Protocol protocol) {
        try {
            FakeLlmServer server = new FakeLlmServer(protocol);
            server.http.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake LLM server", e);
        }
    }

    public Protocol protocol() {
        return protocol;
    }

    /**
     * What to give the client builder's {@code baseUrl}: {@code http://127.0.0.1:PORT/v1} for OpenAI
     * and Anthropic (whose clients add {@code /chat/completions} and {@code /messages}),
     * {@code http://127.0.0.1:PORT} for Ollama (whose client adds {@code /api/chat}).
     */
    public String baseUrl() {
        String root = "http://127.0.0.1:" + http.getAddress().getPort();
        return switch (protocol) {
            case OPENAI, ANTHROPIC -> root + "/v1";
            case OLLAMA -> root;
        };
    }

    /** Scripts the next answer: this text, and no tool call. */
    public FakeLlmServer answerText(String text) {
        return answer(Answer.text(text));
    }

    /** Scripts the next answer: one call of tool {@code name} with these JSON arguments. */
    public FakeLlmServer answerToolCall(String name, String argumentsJson) {
        return answer(Answer.toolCall(name, argumentsJson));
    }

    /** Scripts the next answer: HTTP {@code status} with an error body of the protocol. */
    public FakeLlmServer failWith(int status) {
        return answer(Answer.failure(status));
    }

    /** Scripts the next {@code times} answers: HTTP {@code status} each time. */
    public FakeLlmServer failWith(int status, int times) {
        for (int i = 0; i < times; i++) {
            failWith(status);
        }
        return this;
    }

    /**
     * Scripts the next answer: {@code text}, but only after {@code delay}, or never when the server is
     * closed first; a slow model, to test cancelling a call in flight.
     */
    public FakeLlmServer answerSlowly(Duration delay, String text) {
        return answer(Answer.text(text).after(delay));
    }

    /** Scripts the next answer: none, the connection is closed (a transient network failure). */
    public FakeLlmServer dropConnection() {
        return answer(Answer.droppedConnection());
    }

    /** Scripts any answer, built with {@link Answer}'s factories. */
    public FakeLlmServer answer(Answer answer) {
        requireNonNull(answer, "answer is null");
        synchronized (lock) {
            answers.addLast(answer);
        }
        return this;
    }

    /** Every request received so far, oldest first. */
    public List<RecordedRequest> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** The newest request received; fails when there is none. */
    public RecordedRequest lastRequest() {
        synchronized (lock) {
            if (requests.isEmpty()) {
                throw new AssertionError("the fake LLM server received no request");
            }
            return requests.getLast();
        }
    }

    /** How many scripted answers have not been given yet. */
    public int answersLeft() {
        synchronized (lock) {
            return answers.size();
        }
    }

    /**
     * Waits until {@code count} requests arrived (a slow answer's request included, before it is
     * answered), and fails after {@code limit}.
     */
    public void awaitRequests(int count, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (lock) {
            while (requests.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the fake LLM server received " + requests.size()
                            + " requests, not " + count + ", within " + limit);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for requests", e);
                }
            }
        }
    }

    /** Stops the server; slow answers still waiting are dropped with their connections. */
    @Override
    public void close() {
        closing.countDown();
        http.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode read = JSON.readTree(exchange.getRequestBody().readAllBytes());
            JsonNode body = read == null || read.isMissingNode() ? JSON.createObjectNode() : read;
            boolean answerable = exchange.getRequestMethod().equals("POST")
                    && exchange.getRequestURI().getPath().equals(wire.path());
            Answer answer;
            synchronized (lock) {
                requests.add(new RecordedRequest(protocol, exchange.getRequestURI().getPath(), body));
                lock.notifyAll();
                answer = answerable ? answers.pollFirst() : null;
            }
            if (!answerable) {
                send(exchange, 404, wire.error(404, "the fake answers only POST " + wire.path()));
                return;
            }
            if (answer == null) {
                send(exchange, 400, wire.error(400, "the fake LLM server has no answer scripted for this request"));
                return;
            }
            if (!answer.delay().isZero() && closing.await(answer.delay().toMillis(), TimeUnit.MILLISECONDS)) {
                return; // closed while waiting: the client sees its connection drop
            }
            switch (answer) {
                case Answer.Dropped dropped -> {
                    // closing the exchange before any response leaves the client with a closed connection
                }
                case Answer.Failure failure -> send(exchange, failure.status(), wire.error(failure.status(),
                        "scripted failure " + failure.status()));
                case Answer.Reply reply -> {
                    String model = body.path("model").asText("fake-model");
                    if (wire.streams(body)) {
                        stream(exchange, wire.stream(reply, model));
                    } else {
                        send(exchange, 200, wire.reply(reply, model));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void stream(HttpExchange exchange, List<String> events) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", wire.streamContentType());
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (String event : events) {
            out.write(event.getBytes(UTF_8));
            out.flush();
        }
    }

    /** How one protocol asks and answers. */
    interface Wire {

        /** The path the client posts to. */
        String path();

        /** Whether the request asks for a streamed answer. */
        default boolean streams(JsonNode request) {
            return request.path("stream").asBoolean(false);
        }

        /** The whole answer as one JSON body. */
        String reply(Answer.Reply reply, String model);

        /** The answer as the pieces of a stream, each written and flushed in turn. */
        List<String> stream(Answer.Reply reply, String model);

        String streamContentType();

        /** An error body for {@code status}. */
        String error(int status, String message);
    }

    /** {@code text} cut into pieces at word ends, so that a stream has more than one piece of text. */
    static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        for (String piece : text.split("(?<=\\s)")) {
            if (!piece.isEmpty()) {
                pieces.add(piece);
            }
        }
        return pieces;
    }

    /** The arguments as JSON, or as a JSON string when they are not JSON (to script a model's bad output). */
    static JsonNode arguments(String argumentsJson) {
        try {
            return JSON.readTree(argumentsJson);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(argumentsJson);
        }
    }

    static ObjectMapper json() {
        return JSON;
    }
}
