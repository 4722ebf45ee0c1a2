package dev.octo.bootstrap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sends every log record (Octo's System.Logger calls and the libraries' SLF4J calls, both of which
 * end in java.util.logging) to {@code .octo/logs/octo.log}, and nothing to the terminal, where it
 * would break the user's prompt: not the JDK's default console handler, and not the errors of the
 * log file itself (see {@link QuietHandler}).
 */
final class Logging {

    // one file that starts over past this size, so the log never fills the disk
    private static final int MAX_FILE_BYTES = 20 * 1024 * 1024;
    private static final String CONFIGURATION_CLASS = "java.util.logging.config.class";

    private Logging() {
    }

    /**
     * Makes java.util.logging, once it starts, read no configuration file, which is where the JDK's
     * console handler comes from: nothing logged then reaches the terminal, however early. It costs
     * nothing itself, so that java.util.logging may start on another thread: starting it takes a good
     * part of Octo's start, since it looks through every jar for a logging back end.
     */
    static void neverToTheConsole() {
        if (System.getProperty(CONFIGURATION_CLASS) == null) {
            System.setProperty(CONFIGURATION_CLASS, NoConfiguration.class.getName());
        }
    }

    /** The configuration of java.util.logging under {@link #neverToTheConsole}: no handler, no level. */
    public static final class NoConfiguration {

        public NoConfiguration() {
            // java.util.logging makes one instead of reading its configuration file
        }
    }

    /**
     * Takes the JDK's console handler off the root logger, so that nothing logged before the log file
     * is open (or when it cannot be) reaches the terminal. Handlers set up by {@link #toFile} stay.
     */
    static void keepOffTheTerminal() {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            if (handler instanceof ConsoleHandler) {
                root.removeHandler(handler);
                handler.close();
            }
        }
    }

    /** Sends the log to {@code octo.log} in {@code logsDirectory}, and returns that file. */
    static Path toFile(Path logsDirectory) throws IOException {
        LogManager.getLogManager().reset();
        Files.createDirectories(logsDirectory);
        System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tF %1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n");
        Path log = logsDirectory.resolve("octo.log");
        FileHandler file = new FileHandler(log.toString(), MAX_FILE_BYTES, 1, true);
        file.setFormatter(new SimpleFormatter());
        file.setEncoding("UTF-8");
        Logger root = Logger.getLogger("");
        root.addHandler(new QuietHandler(file));
        root.setLevel(Level.INFO);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(Level.INFO);
        }
        return log;
    }
}
