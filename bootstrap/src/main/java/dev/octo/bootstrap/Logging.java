package dev.octo.bootstrap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sends every log record (Octo's System.Logger calls and the libraries' SLF4J calls, both of which
 * end in java.util.logging) to {@code .octo/logs/octo.log}, and nothing to the terminal, where it
 * would break the user's prompt.
 */
final class Logging {

    // one file that starts over past this size, so the log never fills the disk
    private static final int MAX_FILE_BYTES = 20 * 1024 * 1024;

    private Logging() {
    }

    static void toFile(Path logsDirectory) throws IOException {
        Files.createDirectories(logsDirectory);
        System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tF %1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        FileHandler file = new FileHandler(logsDirectory.resolve("octo.log").toString(), MAX_FILE_BYTES, 1, true);
        file.setFormatter(new SimpleFormatter());
        file.setEncoding("UTF-8");
        root.addHandler(file);
        root.setLevel(Level.INFO);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(Level.INFO);
        }
    }
}
