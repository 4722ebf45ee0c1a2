package dev.octo.adapters.cli;

import java.util.Locale;

/**
 * What a typed line says about leaving. {@code /exit} and {@code /quit} end a console; with anything
 * after them ("/exit now") they neither leave nor go on to the interpreter, which knows no such
 * command: they are refused with their usage.
 */
enum LeaveCommand {
    /** Not a command to leave: the interpreter answers it. */
    NONE,
    /** {@code /exit} or {@code /quit} alone: leave. */
    LEAVE,
    /** {@code /exit} or {@code /quit} followed by more: refused with {@link #usage}. */
    MISUSED;

    static LeaveCommand of(String line) {
        String typed = line.strip();
        String command = typed.split("\\s", 2)[0].toLowerCase(Locale.ROOT);
        if (!command.equals("/exit") && !command.equals("/quit")) {
            return NONE;
        }
        return command.length() == typed.length() ? LEAVE : MISUSED;
    }

    /** The usage line of the command {@code line} starts with: "Usage: /exit" or "Usage: /quit". */
    static String usage(String line) {
        return "Usage: " + line.strip().split("\\s", 2)[0].toLowerCase(Locale.ROOT);
    }
}
