package dev.octo.adapters.telegram;

import static java.util.Objects.requireNonNull;

import dev.octo.adapters.telegram.BotState.Route;
import dev.octo.adapters.telegram.TaskButton.Button;
import dev.octo.application.port.in.TaskNotice;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.telegram.telegrambots.meta.api.methods.send.SendDocument;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.LinkPreviewOptions;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;

/**
 * Everything the bot sends to chats goes through here: a queue per chat, and one thread that sends
 * at most one message per chat each {@link Pacing#messageInterval()}. Task notices that pile up
 * meanwhile go out together, a line each, so that a burst of tasks ending at once makes a few
 * messages that list them all. A message that cannot be sent (the network, a 5xx, a 429) is tried
 * again, after the wait the server asked for or a growing one, until it is older than
 * {@link Pacing#deliveryLimit()}; a message sent is never sent again.
 */
final class Outbox implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

    private final BotApi api;
    private final BotState state;
    private final Clock clock;
    private final Pacing pacing;
    private final Runnable unauthorized;
    private final Object lock = new Object();
    private final Map<Long, ChatQueue> chats = new HashMap<>();
    private final Thread sender;
    private boolean closing;
    private boolean stopped;

    /**
     * @param unauthorized run once when Telegram refuses the token; the outbox stops then
     */
    Outbox(BotApi api, BotState state, Clock clock, Pacing pacing, Runnable unauthorized) {
        this.api = requireNonNull(api, "api is null");
        this.state = requireNonNull(state, "state is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.pacing = requireNonNull(pacing, "pacing is null");
        this.unauthorized = requireNonNull(unauthorized, "unauthorized is null");
        this.sender = Thread.ofPlatform().daemon().name("telegram-sender").unstarted(this::run);
    }

    void start() {
        sender.start();
    }

    /** Queues {@code outgoing} for chat {@code chatId}. */
    void send(long chatId, Outgoing outgoing) {
        enqueue(chatId, new Item(Optional.of(outgoing), Optional.empty(), "", clock.instant()));
    }

    /** Queues the notice for chat {@code chatId}, whose channel is {@code channel}. */
    void tell(long chatId, TaskNotice notice, String channel) {
        enqueue(chatId, new Item(Optional.empty(), Optional.of(notice), channel, clock.instant()));
    }

    /** Whether nothing waits to be sent. */
    boolean isIdle() {
        synchronized (lock) {
            return chats.values().stream().allMatch(ChatQueue::isEmpty);
        }
    }

    /** Sends what is queued for at most {@link Pacing#drainLimit()}, then stops. */
    @Override
    public void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        try {
            sender.join(pacing.drainLimit().toMillis() + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
    }

    /** Stops at once, sending nothing more. */
    void stop() {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
        sender.interrupt();
    }

    private void enqueue(long chatId, Item item) {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            chats.computeIfAbsent(chatId, ChatQueue::new).items.addLast(item);
            lock.notifyAll();
        }
    }

    private void run() {
        long drainDeadline = Long.MAX_VALUE;
        while (true) {
            ChatQueue chat;
            Part part;
            synchronized (lock) {
                try {
                    while (true) {
                        if (stopped || closing && (isIdleLocked() || System.nanoTime() - drainDeadline > 0)) {
                            return;
                        }
                        if (closing && drainDeadline == Long.MAX_VALUE) {
                            drainDeadline = System.nanoTime() + pacing.drainLimit().toNanos();
                        }
                        ChatQueue due = null;
                        for (ChatQueue candidate : chats.values()) {
                            if (!candidate.isEmpty() && (due == null || candidate.nextAt - due.nextAt < 0)) {
                                due = candidate;
                            }
                        }
                        if (due == null) {
                            lock.wait(closing ? 10 : 0);
                            continue;
                        }
                        long wait = due.nextAt - System.nanoTime();
                        if (wait > 0) {
                            lock.wait(Math.max(1, wait / 1_000_000), 0);
                            continue;
                        }
                        if (due.sending == null) {
                            due.sending = compose(due);
                        }
                        chat = due;
                        part = due.sending.parts.get(due.sending.next);
                        break;
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
            Optional<Long> sent;
            try {
                sent = Optional.of(send(chat.chatId, part));
            } catch (RuntimeException e) {
                // a message the client cannot even build would fail again: it goes, the rest still go
                LOG.log(System.Logger.Level.ERROR, "cannot send a message to chat " + chat.chatId, e);
                synchronized (lock) {
                    failed(chat, part, new CallFailure(CallFailure.Kind.REFUSED, String.valueOf(e), Optional.empty(), e));
                }
                continue;
            } catch (CallFailure failure) {
                if (failure.kind() == CallFailure.Kind.UNAUTHORIZED) {
                    stop();
                    unauthorized.run();
                    return;
                }
                synchronized (lock) {
                    failed(chat, part, failure);
                }
                continue;
            }
            // every part of a long message routes a reply to its task
            chat.sending.route.ifPresent(route -> state.remember(chat.chatId, sent.get(), route));
            synchronized (lock) {
                Sending sending = chat.sending;
                sending.next++;
                if (sending.next == sending.parts.size()) {
                    chat.sending = null;
                }
                chat.failures = 0;
                chat.nextAt = System.nanoTime() + pacing.messageInterval().toNanos();
            }
        }
    }

    private boolean isIdleLocked() {
        return chats.values().stream().allMatch(ChatQueue::isEmpty);
    }

    private void failed(ChatQueue chat, Part part, CallFailure failure) {
        Sending sending = chat.sending;
        switch (failure.kind()) {
            case TRANSIENT -> {
                Duration age = Duration.between(sending.queuedAt, clock.instant());
                if (age.compareTo(pacing.deliveryLimit()) > 0) {
                    LOG.log(System.Logger.Level.WARNING, "A message to chat {0} is dropped: it could not be sent for {1} ({2})",
                            chat.chatId, age, failure.getMessage());
                    chat.sending = null;
                    chat.failures = 0;
                    return;
                }
                chat.failures++;
                Duration wait = pacing.retryAfter(chat.failures);
                if (failure.retryAfter().isPresent() && failure.retryAfter().get().compareTo(wait) > 0) {
                    wait = failure.retryAfter().get();
                }
                LOG.log(System.Logger.Level.WARNING, "Sending to chat {0} failed ({1}); trying again in {2}",
                        chat.chatId, failure.getMessage(), wait);
                chat.nextAt = System.nanoTime() + wait.toNanos();
            }
            case REFUSED -> {
                if (part instanceof Part.TextPart text && text.html()) {
                    // the markup was refused: the same words without it still reach the user
                    LOG.log(System.Logger.Level.WARNING, "Telegram refused a message to chat {0} ({1}); "
                            + "it goes again as plain text", chat.chatId, failure.getMessage());
                    sending.parts.set(sending.next, new Part.TextPart(Html.toPlain(text.text()), false, text.buttons()));
                } else {
                    LOG.log(System.Logger.Level.WARNING, "Telegram refused a message to chat {0} ({1}); it is dropped",
                            chat.chatId, failure.getMessage());
                    sending.next++;
                    if (sending.next == sending.parts.size()) {
                        chat.sending = null;
                    }
                }
                chat.nextAt = System.nanoTime() + pacing.messageInterval().toNanos();
            }
            case UNAUTHORIZED -> throw new IllegalStateException("handled before");
        }
    }

    /** What goes out next to {@code chat}: its first item, or the notices at its head together. */
    private Sending compose(ChatQueue chat) {
        Item first = chat.items.removeFirst();
        if (first.outgoing().isPresent()) {
            return Sending.of(first.outgoing().get(), first.queuedAt());
        }
        List<Item> notices = new ArrayList<>();
        notices.add(first);
        while (!chat.items.isEmpty() && chat.items.peekFirst().notice().isPresent()) {
            notices.add(chat.items.removeFirst());
        }
        if (notices.size() == 1) {
            TaskNotice notice = first.notice().get();
            Outgoing.Text text = TelegramText.notification(notice, first.channel())
                    .orElseGet(() -> Outgoing.Text.plain("Task " + notice.taskId() + ": " + notice.type()));
            return Sending.of(text, first.queuedAt());
        }
        return Sending.of(TelegramText.digest(notices.stream().map(item -> item.notice().get()).toList(),
                first.channel()), first.queuedAt());
    }

    private long send(long chatId, Part part) throws CallFailure {
        return switch (part) {
            case Part.TextPart text -> sendText(chatId, text);
            case Part.DocumentPart document -> sendDocument(chatId, document.document());
        };
    }

    private long sendText(long chatId, Part.TextPart text) throws CallFailure {
        SendMessage message = SendMessage.builder()
                .chatId(chatId)
                .text(text.text())
                .parseMode(text.html() ? "HTML" : null)
                .linkPreviewOptions(LinkPreviewOptions.builder().isDisabled(true).build())
                .replyMarkup(keyboard(text.buttons()))
                .build();
        Message sent = api.call(message);
        return sent == null || sent.getMessageId() == null ? 0 : sent.getMessageId();
    }

    private long sendDocument(long chatId, Outgoing.Document document) throws CallFailure {
        long size;
        try {
            size = Files.size(document.file());
        } catch (IOException e) {
            throw new CallFailure(CallFailure.Kind.REFUSED, "cannot read " + document.file() + ": " + e,
                    Optional.empty(), e);
        }
        long from = Math.max(0, size - document.maxBytes());
        try (InputStream in = Files.newInputStream(document.file())) {
            in.skipNBytes(from);
            SendDocument send = SendDocument.builder()
                    .chatId(chatId)
                    .document(new InputFile(new LimitedInputStream(in, size - from), document.name()))
                    .caption(document.caption())
                    .build();
            Message sent = api.call(send);
            return sent == null || sent.getMessageId() == null ? 0 : sent.getMessageId();
        } catch (IOException e) {
            throw new CallFailure(CallFailure.Kind.REFUSED, "cannot read " + document.file() + ": " + e,
                    Optional.empty(), e);
        }
    }

    private static InlineKeyboardMarkup keyboard(List<Button> buttons) {
        if (buttons.isEmpty()) {
            return null;
        }
        InlineKeyboardRow row = new InlineKeyboardRow();
        for (Button button : buttons) {
            InlineKeyboardButton key = new InlineKeyboardButton(button.label());
            key.setCallbackData(button.data());
            row.add(key);
        }
        return new InlineKeyboardMarkup(List.of(row));
    }

    /** One chat's queue and where its sending stands. */
    private static final class ChatQueue {
        final long chatId;
        final Deque<Item> items = new ArrayDeque<>();
        Sending sending;
        long nextAt = System.nanoTime();
        int failures;

        ChatQueue(long chatId) {
            this.chatId = chatId;
        }

        boolean isEmpty() {
            return sending == null && items.isEmpty();
        }
    }

    /** A queued message or notice, and when it was queued. */
    private record Item(Optional<Outgoing> outgoing, Optional<TaskNotice> notice, String channel, Instant queuedAt) {
    }

    /** One message on its way out: its parts (a long text's chunks), the next to send, its route. */
    private static final class Sending {
        final List<Part> parts;
        final Optional<Route> route;
        final Instant queuedAt;
        int next;

        private Sending(List<Part> parts, Optional<Route> route, Instant queuedAt) {
            this.parts = parts;
            this.route = route;
            this.queuedAt = queuedAt;
        }

        static Sending of(Outgoing outgoing, Instant queuedAt) {
            return switch (outgoing) {
                case Outgoing.Text text -> {
                    List<String> chunks = MessageSplitter.split(text.html());
                    List<Part> parts = new ArrayList<>();
                    for (int i = 0; i < chunks.size(); i++) {
                        parts.add(new Part.TextPart(chunks.get(i), true,
                                i == chunks.size() - 1 ? text.buttons() : List.of()));
                    }
                    if (parts.isEmpty()) {
                        parts.add(new Part.TextPart("(empty)", false, text.buttons()));
                    }
                    yield new Sending(parts, text.route(), queuedAt);
                }
                case Outgoing.Document document ->
                        new Sending(new ArrayList<>(List.of(new Part.DocumentPart(document))), Optional.empty(), queuedAt);
            };
        }
    }

    /** What one call sends. */
    private sealed interface Part {
        record TextPart(String text, boolean html, List<Button> buttons) implements Part {
        }

        record DocumentPart(Outgoing.Document document) implements Part {
        }
    }

    /** At most {@code left} bytes of a stream: the end of a log as it was when it was queued. */
    private static final class LimitedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        LimitedInputStream(InputStream in, long left) {
            this.in = in;
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
