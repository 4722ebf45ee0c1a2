package dev.octo.adapters.telegram.canary;

import org.jline.terminal.Terminal;

/** Canary: JLine outside the CLI adapter. */
public record TelegramUsingJLine(Terminal value) {
}
