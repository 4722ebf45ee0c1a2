package dev.octo.adapters.llm.canary;

import org.telegram.telegrambots.meta.generics.TelegramClient;

/** Canary: TelegramBots outside the Telegram adapter. */
public record LlmUsingTelegramBots(TelegramClient value) {
}
