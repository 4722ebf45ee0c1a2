package dev.octo.adapters.telegram;

import dev.octo.application.fakes.FakeAgentTranscripts;
import dev.octo.adapters.telegram.fake.FakeBotApi;
import dev.octo.adapters.telegram.fake.SentMessage;
import dev.octo.adapters.telegram.fake.UserMessage;
import dev.octo.application.fakes.Eventually;
import dev.octo.application.fakes.FakeProcessRunner;
import dev.octo.application.fakes.InMemoryTaskStore;
import dev.octo.application.fakes.NoSupervisorChat;
import dev.octo.application.fakes.ScriptedAgentRunner;
import dev.octo.application.fakes.SequentialTaskIds;
import dev.octo.application.port.out.SupervisorChat;
import dev.octo.application.service.CommandInterpreter;
import dev.octo.application.service.EngineSettings;
import dev.octo.application.service.TaskEngine;
import dev.octo.domain.EscalationPolicy;
import dev.octo.domain.TimeoutPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A task engine on the application's fakes, the real bot in front of it, and a fake Bot API server
 * on 127.0.0.1 that the bot talks to through the real TelegramBots client.
 */
final class BotFixture implements AutoCloseable {

    static final String TOKEN = "4242:test-token";
    static final long OWNER = 1001;
    static final long FRIEND = 1002;
    static final long STRANGER = 1003;
    static final Duration LIMIT = Duration.ofSeconds(20);
    /** Quick enough for tests; the coalescing test uses the real one-second pacing. */
    static final Pacing FAST = new Pacing(Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(400),
            Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofSeconds(3));

    final FakeBotApi api;
    final Path folder;
    final InMemoryTaskStore store = new InMemoryTaskStore();
    final FakeProcessRunner processes = new FakeProcessRunner();
    final ScriptedAgentRunner agents = new ScriptedAgentRunner();
    final List<String> stopLines = new CopyOnWriteArrayList<>();
    final Clock clock;
    final Pacing pacing;
    private final List<AutoCloseable> open = new ArrayList<>();
    TaskEngine engine;
    TelegramFrontEnd bot;
    SupervisorChat supervisor = new NoSupervisorChat();

    BotFixture(Path folder) {
        this(folder, Clock.systemUTC(), FAST);
    }

    BotFixture(Path folder, Clock clock, Pacing pacing) {
        this.folder = folder;
        this.clock = clock;
        this.pacing = pacing;
        this.api = FakeBotApi.start(TOKEN);
        processes.logFolder(folder.resolve("tasks"));
    }

    /** Starts the engine and the bot on it. */
    BotFixture start() {
        return start(TOKEN, 8);
    }

    BotFixture start(String token, int maxConcurrent) {
        engine = new TaskEngine(store, new SequentialTaskIds(), clock, processes, agents,
                new EngineSettings(maxConcurrent, folder, new TimeoutPolicy(Duration.ZERO, Duration.ZERO),
                        EscalationPolicy.DEFAULT));
        startBot(token);
        engine.start();
        return this;
    }

    /** A new bot (as after a restart of Octo) on the same engine and files. */
    void startBot(String token) {
        CommandInterpreter interpreter = CommandInterpreter.over(engine, new FakeAgentTranscripts(), (channel, message) ->
                supervisor.reply(channel, message), clock);
        TelegramSettings settings = new TelegramSettings(token, OWNER, Optional.of(URI.create(api.url())),
                folder.resolve("telegram"), TelegramSettings.DEFAULT_MAX_UPDATE_AGE);
        bot = new TelegramFrontEnd(settings, interpreter, engine, engine, engine, clock, stopLines::add, pacing);
        engine.register(bot);
        open.add(bot);
        bot.start();
    }

    int say(long user, String text) {
        return api.pushMessage(UserMessage.text(user, text));
    }

    int reply(long user, int messageId, String text) {
        return api.pushMessage(UserMessage.text(user, text).replyingTo(messageId));
    }

    /** Waits for a message to {@code chat} that {@code matches}, and returns the first such. */
    SentMessage awaitMessage(long chat, String what, Predicate<SentMessage> matches) {
        Eventually.await(() -> what + " in chat " + chat + "; it got " + texts(chat), LIMIT,
                () -> api.messagesTo(chat).stream().anyMatch(matches));
        return api.messagesTo(chat).stream().filter(matches).findFirst().orElseThrow();
    }

    SentMessage awaitText(long chat, String contained) {
        return awaitMessage(chat, "a message with '" + contained + "'", m -> m.text().contains(contained));
    }

    List<String> texts(long chat) {
        return api.messagesTo(chat).stream().map(SentMessage::text).toList();
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : open) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        if (engine != null) {
            engine.close();
        }
        api.close();
    }
}
