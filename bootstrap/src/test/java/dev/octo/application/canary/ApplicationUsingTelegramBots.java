package dev.octo.application.canary;

import org.telegram.telegrambots.meta.generics.TelegramClient;

/** Canary: TelegramBots in the application. */
public record ApplicationUsingTelegramBots(TelegramClient value) {
}
