package dev.octo.adapters.telegram;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.FollowUpTaskUseCase;
import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.in.ResumeTaskUseCase;
import dev.octo.application.port.in.TaskNotice;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.out.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.commands.SetMyCommands;
import org.telegram.telegrambots.meta.api.methods.updates.DeleteWebhook;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.commands.scope.BotCommandScopeChat;

/**
 * The Telegram front end: a bot that long-polls the Bot API for the messages and button presses of
 * its users, answers them through the same commands as the terminal, and tells the owner and every
 * authorized user of each task that finishes, fails, pauses or is cancelled.
 *
 * <p>It polls with TelegramBots' client rather than its long-polling application, which tells the
 * server an update was received before it is handled, waits the same backoff whatever the server
 * asked, and goes on forever with a refused token. Here an update is confirmed (the offset stored in
 * {@code state.json}, then sent with the next poll) only once it was handled, so a restart handles
 * each exactly once; a 429's {@code retry_after} is honoured; and a refused token (401) stops the
 * bot with one clear line, while the rest of Octo goes on.
 *
 * <p>Network trouble never stops it: every failed call is logged and tried again, later and later.
 */
public final class TelegramFrontEnd implements Notifier, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TelegramFrontEnd.class.getName());

    /** What the user is told when Telegram refuses the token. */
    public static final String TOKEN_REFUSED = "Telegram refused the bot token (401 Unauthorized): the Telegram bot "
            + "is stopped; check TELEGRAM_BOT_TOKEN.";

    private static final List<String> UPDATES = List.of("message", "callback_query");
    private static final int MAX_ROUTES = 2_000;

    private final TelegramSettings settings;
    private final Pacing pacing;
    private final Consumer<String> stopped;
    private final AuthorizedUsers users;
    private final BotState state;
    private final BotApi api;
    private final Outbox outbox;
    private final ScheduledExecutorService typing;
    private final TelegramUpdateHandler handler;
    private final Thread poller;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean refused = new AtomicBoolean();
    private final Object pauses = new Object();
    private volatile boolean closed;

    /**
     * A bot that does nothing until {@link #start()}. It reads its files in
     * {@link TelegramSettings#stateFolder()} at once.
     *
     * @param stopped told once, with one line for the user, when the bot stops on its own because
     *     Telegram refused its token; Octo goes on without it
     */
    public TelegramFrontEnd(TelegramSettings settings, InterpretCommandUseCase commands, ResumeTaskUseCase resume,
            FollowUpTaskUseCase followUp, TaskQueries queries, Clock clock, Consumer<String> stopped) {
        this(settings, commands, resume, followUp, queries, clock, stopped, Pacing.DEFAULT);
    }

    TelegramFrontEnd(TelegramSettings settings, InterpretCommandUseCase commands, ResumeTaskUseCase resume,
            FollowUpTaskUseCase followUp, TaskQueries queries, Clock clock, Consumer<String> stopped, Pacing pacing) {
        this.settings = requireNonNull(settings, "settings is null");
        this.pacing = requireNonNull(pacing, "pacing is null");
        this.stopped = requireNonNull(stopped, "stopped is null");
        requireNonNull(clock, "clock is null");
        this.users = new AuthorizedUsers(settings.stateFolder().resolve("authorized_users.json"), settings.ownerId());
        this.state = new BotState(settings.stateFolder().resolve("state.json"), MAX_ROUTES);
        this.api = new BotApi(settings.token(), settings.apiUrl(), pacing.pollTimeout());
        this.outbox = new Outbox(api, state, clock, pacing, this::tokenRefused);
        this.typing = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("telegram-typing").factory());
        this.handler = new TelegramUpdateHandler(commands, resume, followUp, queries, users, state, outbox, api,
                clock, settings.maxUpdateAge(), typing);
        this.poller = Thread.ofPlatform().daemon().name("telegram-poller").unstarted(this::run);
    }

    /**
     * Starts the bot and returns at once: it checks its token, registers its command menu and polls
     * for updates in the background, trying again while the network fails. Notices told before
     * this are queued and sent once it runs.
     */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        running.set(true);
        outbox.start();
        poller.start();
    }

    /** Whether the bot runs: started, neither closed nor stopped by a refused token. */
    public boolean isRunning() {
        return running.get();
    }

    /**
     * Stops polling, sends what is queued for a few seconds at most, and stops. Updates handled so
     * far are not handled again by the next start.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        running.set(false);
        wake();
        // an update being handled is let finish, so that its offset is stored
        api.closePolling();
        try {
            poller.join(pacing.drainLimit().toMillis() + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outbox.close();
        typing.shutdownNow();
        api.close();
    }

    /** Tells the owner and every authorized user of the notice, unless it is not told at all. */
    @Override
    public void notify(TaskNotice notice) {
        if (!notice.type().told() || closed || refused.get()) {
            return;
        }
        for (long chat : users.chats()) {
            String channel = TelegramUpdateHandler.channel(chat);
            if (TelegramText.notification(notice, channel).isPresent()) {
                outbox.tell(chat, notice, channel);
            }
        }
    }

    @Override
    public void notifyProblem(String message) {
        if (closed || refused.get()) {
            return;
        }
        for (long chat : users.chats()) {
            outbox.send(chat, Outgoing.Text.of("⚠️ " + Html.escape(message)));
        }
    }

    private void run() {
        try {
            startSession();
            pollUpdates();
        } catch (InterruptedException e) {
            // stopped
        } catch (CallFailure failure) {
            if (!running.get() && failure.kind() != CallFailure.Kind.UNAUTHORIZED) {
                return; // a call cut short by close()
            }
            if (failure.kind() == CallFailure.Kind.UNAUTHORIZED) {
                tokenRefused();
            } else {
                LOG.log(System.Logger.Level.ERROR, "The Telegram bot stopped: " + failure.getMessage(), failure);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "The Telegram bot stopped", e);
        }
    }

    /** Checks the token, takes the bot off any webhook (which would keep updates from a poll) and sets its menu. */
    private void startSession() throws CallFailure, InterruptedException {
        try {
            var me = retrying("getMe", () -> api.call(new GetMe()));
            LOG.log(System.Logger.Level.INFO, "Telegram bot @{0} runs", me == null ? "?" : me.getUserName());
        } catch (CallFailure failure) {
            // a token the server does not know at all gets a 404 rather than a 401
            if (failure.kind() == CallFailure.Kind.REFUSED) {
                throw new CallFailure(CallFailure.Kind.UNAUTHORIZED, failure.getMessage(), failure.retryAfter(), failure);
            }
            throw failure;
        }
        retrying("deleteWebhook", () -> api.call(DeleteWebhook.builder().dropPendingUpdates(false).build()));
        try {
            retrying("setMyCommands", () -> api.call(SetMyCommands.builder()
                    .commands(TelegramUpdateHandler.menu(false)).build()));
            retrying("setMyCommands", () -> api.call(SetMyCommands.builder()
                    .commands(TelegramUpdateHandler.menu(true))
                    .scope(new BotCommandScopeChat(Long.toString(settings.ownerId()))).build()));
        } catch (CallFailure failure) {
            if (failure.kind() == CallFailure.Kind.UNAUTHORIZED) {
                throw failure;
            }
            // without a menu every command still works when typed
            LOG.log(System.Logger.Level.WARNING, "cannot set the command menu: {0}", failure.getMessage());
        }
    }

    private void pollUpdates() throws CallFailure, InterruptedException {
        int failures = 0;
        while (running.get()) {
            long last = state.lastUpdateId();
            GetUpdates request = GetUpdates.builder()
                    .offset((int) (last + 1))
                    .timeout((int) pacing.pollTimeout().toSeconds())
                    .allowedUpdates(UPDATES)
                    .build();
            List<Update> updates;
            try {
                updates = api.poll(request);
                failures = 0;
            } catch (CallFailure failure) {
                if (failure.kind() == CallFailure.Kind.UNAUTHORIZED || !running.get()) {
                    throw failure;
                }
                failures++;
                Duration wait = failure.retryAfter().filter(after -> after.compareTo(pacing.retryAfter(1)) > 0)
                        .orElse(pacing.retryAfter(failures));
                LOG.log(System.Logger.Level.WARNING, "getUpdates failed ({0}); trying again in {1}",
                        failure.getMessage(), wait);
                pause(wait);
                continue;
            }
            if (updates == null) {
                continue;
            }
            for (Update update : updates.stream().sorted(Comparator.comparing(Update::getUpdateId)).toList()) {
                if (update.getUpdateId() <= state.lastUpdateId()) {
                    continue;
                }
                try {
                    handler.handle(update);
                } catch (RuntimeException e) {
                    // handled as far as it goes: a bad update must not come back at every start
                    LOG.log(System.Logger.Level.ERROR, "Update " + update.getUpdateId() + " failed", e);
                }
                state.handled(update.getUpdateId());
            }
        }
    }

    /** {@code call}, tried again after each transient failure until it succeeds or the bot stops. */
    private <T> T retrying(String what, ApiCall<T> call) throws CallFailure, InterruptedException {
        int failures = 0;
        while (true) {
            try {
                return call.call();
            } catch (CallFailure failure) {
                if (failure.kind() != CallFailure.Kind.TRANSIENT || !running.get()) {
                    throw failure;
                }
                failures++;
                Duration wait = pacing.retryAfter(failures);
                if (failure.retryAfter().isPresent() && failure.retryAfter().get().compareTo(wait) > 0) {
                    wait = failure.retryAfter().get();
                }
                LOG.log(System.Logger.Level.WARNING, "{0} failed ({1}); trying again in {2}", what,
                        failure.getMessage(), wait);
                pause(wait);
            }
        }
    }

    /** Waits {@code wait}, or less when the bot is closed meanwhile. */
    private void pause(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (pauses) {
            long left;
            while (running.get() && (left = deadline - System.nanoTime()) > 0) {
                pauses.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private void wake() {
        synchronized (pauses) {
            pauses.notifyAll();
        }
    }

    /** Stops everything the bot does, once, and says so in one line. */
    private void tokenRefused() {
        if (!refused.compareAndSet(false, true)) {
            return;
        }
        running.set(false);
        LOG.log(System.Logger.Level.ERROR, TOKEN_REFUSED);
        // not on the thread that found it, which may be one of those stopped here
        Thread.ofPlatform().daemon().name("telegram-stop").start(() -> {
            outbox.stop();
            wake();
            api.closePolling();
            try {
                stopped.accept(TOKEN_REFUSED);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "telling that the bot stopped failed", e);
            }
        });
    }

    @FunctionalInterface
    private interface ApiCall<T> {
        T call() throws CallFailure;
    }
}
