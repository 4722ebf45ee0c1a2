package dev.octo.adapters.telegram.canary;

import org.telegram.telegrambots.meta.generics.TelegramClient;

/** Not a canary: the library inside its own adapter, which its rule allows. */
public record TelegramUsingTelegramBots(TelegramClient value) {
}
