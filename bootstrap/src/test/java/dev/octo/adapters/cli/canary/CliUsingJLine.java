package dev.octo.adapters.cli.canary;

import org.jline.terminal.Terminal;

/** Not a canary: the library inside its own adapter, which its rule allows. */
public record CliUsingJLine(Terminal value) {
}
