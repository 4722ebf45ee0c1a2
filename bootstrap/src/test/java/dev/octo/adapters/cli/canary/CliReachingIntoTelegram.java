package dev.octo.adapters.cli.canary;

import dev.octo.adapters.telegram.canary.TelegramUsingJLine;

/** Canary: one adapter using another. */
public record CliReachingIntoTelegram(TelegramUsingJLine value) {
}
