package dev.octo.adapters.telegram.fake;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted Telegram Bot API server on 127.0.0.1, for the real TelegramBots client and its
 * long-polling application (point both at {@link #url()}).
 *
 * <p>It speaks the methods the bot uses: {@code getMe}, {@code deleteWebhook}, {@code getUpdates}
 * (a real long poll: it holds the request until an update comes or the asked timeout passes, and an
 * update stays pending until a later poll's offset confirms it, as Telegram does),
 * {@code sendMessage}, {@code editMessageText}, {@code editMessageReplyMarkup},
 * {@code sendChatAction}, {@code sendDocument} (multipart), {@code setMyCommands} and
 * {@code answerCallbackQuery}. Like Telegram it refuses text over 4,096 characters and HTML it
 * could not parse, with a 400. Any other method gets a 404.
 *
 * <p>A test pushes what users do ({@link #pushMessage}, {@link #pushCallback}), reads what the bot
 * sent ({@link #messagesTo}), scripts trouble ({@link #failNext}, {@link #rateLimitNext}; a request
 * with another token gets a 401) and counts ({@link #deliveries}, {@link #attempts}). Every method
 * is thread-safe and returns a snapshot.
 */
public final class FakeBotApi implements AutoCloseable {

    public static final long BOT_USER_ID = 7_000_000_001L;
    public static final String BOT_USERNAME = "octo_test_bot";

    /** Telegram's limit on a message's text, after parsing its markup. */
    public static final int MAX_TEXT_LENGTH = 4096;
    public static final int MAX_CAPTION_LENGTH = 1024;

    private static final Pattern PATH = Pattern.compile("^/bot([^/]+)/([^/]+)$");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String token;
    private final HttpServer server;
    private final ExecutorService handlers;

    // everything below is guarded by this
    private boolean closed;
    private Duration longestPoll = Duration.ofSeconds(50);
    private int nextUpdateId = 1;
    private int nextMessageId = 1;
    private int nextCallbackId = 1;
    private final Deque<ObjectNode> pendingUpdates = new ArrayDeque<>();
    private final Map<Integer, Integer> deliveries = new HashMap<>();
    private int confirmedBelow;
    private final Map<Integer, ObjectNode> messagesById = new HashMap<>();
    private final Map<Long, List<SentMessage>> sent = new LinkedHashMap<>();
    private final Map<Long, List<String>> chatActions = new HashMap<>();
    private final Map<String, String> callbackAnswers = new LinkedHashMap<>();
    private final Map<String, String> commands = new LinkedHashMap<>();
    private final Map<String, Deque<Integer>> scriptedStatus = new HashMap<>();
    private final Map<String, Integer> attempts = new HashMap<>();

    private FakeBotApi(String token) throws IOException {
        this.token = requireNonNull(token, "token is null");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // a long poll holds its thread, so every request gets one of its own
        this.handlers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-bot-api");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server on a free port of 127.0.0.1 that accepts only {@code token}. */
    public static FakeBotApi start(String token) {
        try {
            return new FakeBotApi(token);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake Bot API server", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, what {@code TELEGRAM_API_URL} takes. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String token() {
        return token;
    }

    /**
     * Holds a long poll at most this long, whatever timeout it asks (50 s by default, as Telegram
     * does for the client's default): shorter makes a test that waits for polls quicker.
     */
    public synchronized void holdPollsAtMost(Duration limit) {
        longestPoll = requireNonNull(limit, "limit is null");
    }

    // ---- what users do

    /** Queues a user's text message as an update; returns its message id (to reply to it later). */
    public synchronized int pushMessage(UserMessage message) {
        requireNonNull(message, "message is null");
        int messageId = nextMessageId++;
        ObjectNode json = messageJson(messageId, message.chatId(), user(message.fromUserId()),
                message.sentAt() == null ? Instant.now() : message.sentAt());
        json.put("text", message.text());
        if (message.text().startsWith("/")) {
            int end = message.text().indexOf(' ');
            json.putArray("entities").addObject()
                    .put("type", "bot_command")
                    .put("offset", 0)
                    .put("length", end < 0 ? message.text().length() : end);
        }
        if (message.replyToMessageId() != null) {
            json.set("reply_to_message", repliedTo(message.replyToMessageId(), message.chatId()));
        }
        messagesById.put(messageId, json);
        ObjectNode update = NODES.objectNode().put("update_id", nextUpdateId++);
        update.set("message", json);
        queue(update);
        return messageId;
    }

    /** Queues a press on a button of {@code messageId} that sends {@code data}; returns the query id. */
    public synchronized String pushCallback(long fromUserId, long chatId, int messageId, String data) {
        requireNonNull(data, "data is null");
        String queryId = "query-" + nextCallbackId++;
        ObjectNode query = NODES.objectNode()
                .put("id", queryId)
                .put("chat_instance", "instance-" + chatId)
                .put("data", data);
        query.set("from", user(fromUserId));
        query.set("message", repliedTo(messageId, chatId));
        ObjectNode update = NODES.objectNode().put("update_id", nextUpdateId++);
        update.set("callback_query", query);
        queue(update);
        return queryId;
    }

    /** The id the next pushed update gets. */
    public synchronized int nextUpdateId() {
        return nextUpdateId;
    }

    // ---- what the bot did

    /** The messages and documents the bot sent to a chat and the fake accepted, in order, edits applied. */
    public synchronized List<SentMessage> messagesTo(long chatId) {
        return List.copyOf(sent.getOrDefault(chatId, List.of()));
    }

    /** Every chat the bot sent something to, in the order of their first message. */
    public synchronized List<Long> chats() {
        return List.copyOf(sent.keySet());
    }

    /** The chat actions ({@code typing}...) the bot sent to a chat, in order. */
    public synchronized List<String> chatActions(long chatId) {
        return List.copyOf(chatActions.getOrDefault(chatId, List.of()));
    }

    /** The answers to button presses, by query id: the text shown, empty when none. */
    public synchronized Map<String, String> callbackAnswers() {
        return Map.copyOf(callbackAnswers);
    }

    /** The command menu of the last {@code setMyCommands}: command (without slash) to description. */
    public synchronized Map<String, String> commands() {
        return new LinkedHashMap<>(commands);
    }

    /** How many getUpdates responses carried this update (1 when it was read once, as it should be). */
    public synchronized int deliveries(int updateId) {
        return deliveries.getOrDefault(updateId, 0);
    }

    /** Whether a later poll's offset confirmed this update, so Telegram would never send it again. */
    public synchronized boolean confirmed(int updateId) {
        return updateId < confirmedBelow;
    }

    /** Requests for a method (Telegram's name, any case), failed ones included. */
    public synchronized int attempts(String method) {
        return attempts.getOrDefault(method.toLowerCase(Locale.ROOT), 0);
    }

    // ---- trouble

    /** Answers the next {@code times} requests for {@code method} with HTTP {@code status} (502...). */
    public synchronized void failNext(String method, int times, int status) {
        Deque<Integer> script = scriptedStatus.computeIfAbsent(method.toLowerCase(Locale.ROOT), m -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            script.add(status);
        }
    }

    /** Answers the next request for {@code method} with 429 "retry after {@code seconds}". */
    public synchronized void rateLimitNext(String method, int retryAfterSeconds) {
        scriptedStatus.computeIfAbsent(method.toLowerCase(Locale.ROOT), m -> new ArrayDeque<>())
                .add(-retryAfterSeconds); // negative: a 429 with that retry_after
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        server.stop(0);
        handlers.shutdownNow();
    }

    // ---- the server side

    private void handle(HttpExchange exchange) {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Matcher path = PATH.matcher(URLDecoder.decode(exchange.getRequestURI().getRawPath(), UTF_8));
            Answer answer = path.matches()
                    ? answer(path.group(1), path.group(2).toLowerCase(Locale.ROOT),
                            exchange.getRequestHeaders().getFirst("Content-Type"), body)
                    : Answer.error(404, "Not Found", 0);
            byte[] json = JSON.writeValueAsBytes(answer.json());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), json.length);
            exchange.getResponseBody().write(json);
        } catch (IOException | RuntimeException e) {
            // the client went away (a poll cut short by its shutdown): nothing to answer
        }
    }

    private record Answer(int status, JsonNode json) {

        static Answer ok(JsonNode result) {
            ObjectNode json = NODES.objectNode().put("ok", true);
            json.set("result", result);
            return new Answer(200, json);
        }

        static Answer error(int status, String description, int retryAfter) {
            ObjectNode json = NODES.objectNode().put("ok", false).put("error_code", status).put("description", description);
            if (retryAfter > 0) {
                json.putObject("parameters").put("retry_after", retryAfter);
            }
            return new Answer(status, json);
        }
    }

    private synchronized Answer answer(String givenToken, String method, String contentType, byte[] body)
            throws IOException {
        attempts.merge(method, 1, Integer::sum);
        if (!givenToken.equals(token)) {
            return Answer.error(401, "Unauthorized", 0);
        }
        Integer scripted = scriptedStatus.getOrDefault(method, new ArrayDeque<>()).poll();
        if (scripted != null) {
            return scripted < 0
                    ? Answer.error(429, "Too Many Requests: retry after " + -scripted, -scripted)
                    : Answer.error(scripted, "Scripted failure", 0);
        }
        Map<String, Multipart.Part> files = Multipart.isMultipart(contentType)
                ? Multipart.parse(contentType, body) : Map.of();
        ObjectNode params = files.isEmpty() ? parameters(body) : textParts(files);
        try {
            return switch (method) {
                case "getme" -> Answer.ok(user(BOT_USER_ID).put("is_bot", true).put("username", BOT_USERNAME));
                case "deletewebhook" -> Answer.ok(NODES.booleanNode(true));
                case "getupdates" -> Answer.ok(poll(params));
                case "sendmessage" -> Answer.ok(send(params, null));
                case "senddocument" -> Answer.ok(send(params, document(params, files)));
                case "editmessagetext" -> Answer.ok(edit(params, true));
                case "editmessagereplymarkup" -> Answer.ok(edit(params, false));
                case "sendchataction" -> {
                    chatActions.computeIfAbsent(params.path("chat_id").asLong(), c -> new ArrayList<>())
                            .add(params.path("action").asText());
                    yield Answer.ok(NODES.booleanNode(true));
                }
                case "setmycommands" -> {
                    commands.clear();
                    json(params, "commands").forEach(command ->
                            commands.put(command.path("command").asText(), command.path("description").asText()));
                    yield Answer.ok(NODES.booleanNode(true));
                }
                case "answercallbackquery" -> {
                    callbackAnswers.put(params.path("callback_query_id").asText(), params.path("text").asText(""));
                    yield Answer.ok(NODES.booleanNode(true));
                }
                default -> Answer.error(404, "Not Found: method " + method, 0);
            };
        } catch (IllegalArgumentException refused) {
            return Answer.error(400, "Bad Request: " + refused.getMessage(), 0);
        }
    }

    private ArrayNode poll(ObjectNode params) {
        long offset = params.path("offset").asLong(0);
        if (offset > confirmedBelow) {
            confirmedBelow = (int) offset;
            pendingUpdates.removeIf(update -> update.path("update_id").asInt() < offset);
        }
        long waitSeconds = Math.max(0, params.path("timeout").asLong(0));
        long deadline = System.nanoTime() + Math.min(Duration.ofSeconds(waitSeconds).toNanos(), longestPoll.toNanos());
        while (!closed && pendingUpdates.isEmpty() && System.nanoTime() < deadline) {
            try {
                long remaining = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                wait(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int limit = params.path("limit").asInt(100);
        ArrayNode result = NODES.arrayNode();
        for (ObjectNode update : pendingUpdates) {
            if (result.size() == limit) {
                break;
            }
            deliveries.merge(update.path("update_id").asInt(), 1, Integer::sum);
            result.add(update);
        }
        return result;
    }

    private ObjectNode send(ObjectNode params, Document document) throws IOException {
        long chatId = params.path("chat_id").asLong();
        String text = document == null ? params.path("text").asText("") : params.path("caption").asText("");
        String parseMode = params.hasNonNull("parse_mode") ? params.get("parse_mode").asText() : null;
        checkText(text, parseMode, document == null ? MAX_TEXT_LENGTH : MAX_CAPTION_LENGTH, document == null);
        JsonNode markup = json(params, "reply_markup");
        Integer replyTo = replyTarget(params);

        int messageId = nextMessageId++;
        Instant now = Instant.now();
        ObjectNode json = messageJson(messageId, chatId, user(BOT_USER_ID).put("is_bot", true), now);
        json.put(document == null ? "text" : "caption", text);
        if (document != null) {
            json.putObject("document")
                    .put("file_id", "file-" + messageId)
                    .put("file_unique_id", "unique-" + messageId)
                    .put("file_name", document.fileName())
                    .put("file_size", document.content().length);
        }
        if (!markup.isMissingNode()) {
            json.set("reply_markup", markup);
        }
        if (replyTo != null) {
            json.set("reply_to_message", repliedTo(replyTo, chatId));
        }
        messagesById.put(messageId, json);
        sent.computeIfAbsent(chatId, c -> new ArrayList<>())
                .add(new SentMessage(chatId, messageId, text, parseMode, buttons(markup), replyTo, document, now));
        return json;
    }

    private ObjectNode edit(ObjectNode params, boolean text) throws IOException {
        long chatId = params.path("chat_id").asLong();
        int messageId = params.path("message_id").asInt();
        List<SentMessage> chat = sent.getOrDefault(chatId, List.of());
        int index = -1;
        for (int i = 0; i < chat.size(); i++) {
            if (chat.get(i).messageId() == messageId) {
                index = i;
            }
        }
        if (index < 0) {
            throw new IllegalArgumentException("message to edit not found");
        }
        SentMessage before = chat.get(index);
        String newText = text ? params.path("text").asText("") : before.text();
        String parseMode = text
                ? (params.hasNonNull("parse_mode") ? params.get("parse_mode").asText() : null)
                : before.parseMode();
        JsonNode markup = json(params, "reply_markup");
        if (text) {
            checkText(newText, parseMode, MAX_TEXT_LENGTH, true);
        }
        SentMessage after = before.edited(newText, parseMode, buttons(markup));
        if (after.text().equals(before.text()) && after.buttons().equals(before.buttons())) {
            throw new IllegalArgumentException("message is not modified: specified new message content and reply "
                    + "markup are exactly the same as a current content and reply markup of the message");
        }
        chat.set(index, after);
        ObjectNode json = messagesById.get(messageId);
        json.put("text", newText);
        json.remove("reply_markup");
        if (!markup.isMissingNode()) {
            json.set("reply_markup", markup);
        }
        return json;
    }

    private static void checkText(String text, String parseMode, int limit, boolean required) {
        String visible = "HTML".equalsIgnoreCase(parseMode) ? TelegramHtml.visibleText(text) : text;
        if (required && visible.isBlank()) {
            throw new IllegalArgumentException("message text is empty");
        }
        if (visible.length() > limit) {
            throw new IllegalArgumentException(required ? "message is too long" : "message caption is too long");
        }
    }

    private static Document document(ObjectNode params, Map<String, Multipart.Part> files) {
        String field = params.path("document").asText("");
        if (field.startsWith("attach://")) {
            Multipart.Part part = files.get(field.substring("attach://".length()));
            if (part == null) {
                throw new IllegalArgumentException("wrong file identifier/HTTP URL specified");
            }
            return new Document(part.fileName() == null ? part.name() : part.fileName(), part.content());
        }
        if (field.isEmpty()) {
            throw new IllegalArgumentException("there is no document in the request");
        }
        return new Document(field, new byte[0]); // a file id or URL: nothing was uploaded
    }

    private static Integer replyTarget(ObjectNode params) throws IOException {
        JsonNode replyParameters = json(params, "reply_parameters");
        if (replyParameters.has("message_id")) {
            return replyParameters.get("message_id").asInt();
        }
        return params.has("reply_to_message_id") ? params.get("reply_to_message_id").asInt() : null;
    }

    private static List<List<Button>> buttons(JsonNode markup) {
        List<List<Button>> rows = new ArrayList<>();
        markup.path("inline_keyboard").forEach(row -> {
            List<Button> buttons = new ArrayList<>();
            row.forEach(button -> buttons.add(new Button(button.path("text").asText(),
                    button.hasNonNull("callback_data") ? button.get("callback_data").asText() : null)));
            rows.add(buttons);
        });
        return rows;
    }

    private void queue(ObjectNode update) {
        pendingUpdates.add(update);
        notifyAll();
    }

    private ObjectNode repliedTo(int messageId, long chatId) {
        ObjectNode known = messagesById.get(messageId);
        if (known != null) {
            ObjectNode copy = known.deepCopy();
            copy.remove("reply_to_message"); // Telegram nests one level only
            return copy;
        }
        return messageJson(messageId, chatId, user(BOT_USER_ID).put("is_bot", true), Instant.now());
    }

    private static ObjectNode messageJson(int messageId, long chatId, ObjectNode from, Instant date) {
        ObjectNode json = NODES.objectNode().put("message_id", messageId).put("date", date.getEpochSecond());
        json.set("from", from);
        json.putObject("chat").put("id", chatId).put("type", chatId > 0 ? "private" : "group");
        return json;
    }

    private static ObjectNode user(long id) {
        return NODES.objectNode().put("id", id).put("is_bot", false).put("first_name", "User " + id);
    }

    private static ObjectNode parameters(byte[] body) throws IOException {
        if (body.length == 0) {
            return NODES.objectNode();
        }
        return (ObjectNode) JSON.readTree(body);
    }

    private static ObjectNode textParts(Map<String, Multipart.Part> parts) {
        ObjectNode params = NODES.objectNode();
        parts.values().stream().filter(part -> part.fileName() == null).forEach(part -> params.put(part.name(), part.text()));
        return params;
    }

    /** A parameter that is JSON: inline in a JSON request, a JSON string in a multipart one. */
    private static JsonNode json(ObjectNode params, String name) throws IOException {
        JsonNode value = params.path(name);
        return value.isTextual() ? JSON.readTree(value.asText()) : value;
    }
}
