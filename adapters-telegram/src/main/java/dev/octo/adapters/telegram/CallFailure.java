package dev.octo.adapters.telegram;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/** Why a call of the Bot API did not do what was asked, and so what to do about it. */
final class CallFailure extends Exception {

    /** What to do about a failed call. */
    enum Kind {
        /** The network or the server failed (refused, timed out, 5xx, 429): try again later. */
        TRANSIENT,
        /** The server refused this very request (400, 403): trying again would not help. */
        REFUSED,
        /** The server refused the token (401): nothing the bot sends can succeed. */
        UNAUTHORIZED
    }

    private final Kind kind;
    private final Optional<Duration> retryAfter;

    CallFailure(Kind kind, String message, Optional<Duration> retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = requireNonNull(kind, "kind is null");
        this.retryAfter = requireNonNull(retryAfter, "retryAfter is null");
    }

    Kind kind() {
        return kind;
    }

    /** How long the server asked to wait (a 429's {@code retry_after}), when it said. */
    Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
