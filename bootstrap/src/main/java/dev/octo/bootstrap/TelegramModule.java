package dev.octo.bootstrap;

import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.TypeLiteral;
import dev.octo.adapters.telegram.TelegramFrontEnd;
import dev.octo.adapters.telegram.TelegramSettings;
import dev.octo.application.port.in.FollowUpTaskUseCase;
import dev.octo.application.port.in.InterpretCommandUseCase;
import dev.octo.application.port.in.ResumeTaskUseCase;
import dev.octo.application.port.in.TaskQueries;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/** The Telegram bot, when {@code TELEGRAM_BOT_TOKEN} (and so its owner) is set; nothing otherwise. */
final class TelegramModule extends OctoModule {

    static final Key<Optional<TelegramFrontEnd>> FRONT_END = Key.get(new TypeLiteral<>() {
    });

    TelegramModule(OctoConfig config) {
        super(config);
    }

    @Provides
    @Singleton
    BotStopLine botStopLine() {
        return new BotStopLine();
    }

    @Provides
    @Singleton
    Optional<TelegramFrontEnd> frontEnd(InterpretCommandUseCase commands, ResumeTaskUseCase resume,
            FollowUpTaskUseCase followUp, TaskQueries queries, Clock clock, BotStopLine stopLine) {
        if (!config.telegramEnabled()) {
            return Optional.empty();
        }
        TelegramSettings settings = new TelegramSettings(config.telegramBotToken().orElseThrow(),
                config.telegramOwnerId().orElseThrow(), config.telegramApiUrl().map(URI::create),
                config.octoDir().resolve("telegram"), config.telegramMaxUpdateAge());
        return Optional.of(new TelegramFrontEnd(settings, commands, resume, followUp, queries, clock, stopLine));
    }
}
