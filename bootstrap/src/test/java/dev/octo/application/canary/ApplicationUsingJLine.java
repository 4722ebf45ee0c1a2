package dev.octo.application.canary;

import org.jline.terminal.Terminal;

/** Canary: JLine in the application. */
public record ApplicationUsingJLine(Terminal value) {
}
