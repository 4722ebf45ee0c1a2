package dev.octo.bootstrap;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * A log handler that never writes to the terminal. java.util.logging reports a handler's failures
 * (a full disk, a log file that cannot be opened or rotated) to its {@link ErrorManager}, whose
 * default prints them with a stack trace on {@code System.err}, right over the user's prompt. This
 * one counts them instead: the log falls silent while it cannot write, and once a record is written
 * again, another follows it that says how often writing failed, since when and why.
 */
final class QuietHandler extends Handler {

    private final Handler target;
    private final Failures failures = new Failures();

    QuietHandler(Handler target) {
        this.target = requireNonNull(target, "target is null");
        target.setErrorManager(failures);
        setErrorManager(failures);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        long before = failures.count();
        target.publish(record);
        if (failures.count() == before) {
            failures.takeSummary().ifPresent(summary -> {
                LogRecord note = new LogRecord(Level.WARNING, summary);
                note.setLoggerName(QuietHandler.class.getName());
                target.publish(note);
            });
        }
    }

    @Override
    public synchronized void flush() {
        target.flush();
    }

    @Override
    public synchronized void close() {
        target.close();
    }

    /** Remembers the failures of the handler it is set on, and prints nothing. */
    private static final class Failures extends ErrorManager {

        private long count;
        private long unreported;
        private Instant since;
        private String firstReason;

        @Override
        public synchronized void error(String message, Exception cause, int code) {
            count++;
            if (unreported++ == 0) {
                since = Instant.now();
                firstReason = cause != null ? cause.toString() : message != null ? message : "error code " + code;
            }
        }

        synchronized long count() {
            return count;
        }

        /** What failed since the last summary, once; empty when nothing did. */
        synchronized Optional<String> takeSummary() {
            if (unreported == 0) {
                return Optional.empty();
            }
            String summary = "The log could not be written " + unreported + (unreported == 1 ? " time" : " times")
                    + " since " + since + " (first: " + firstReason + "); records of that time may be missing";
            unreported = 0;
            return Optional.of(summary);
        }
    }
}
