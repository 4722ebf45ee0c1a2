package dev.octo.domain.canary;

/** Canary: the domain reading the monotonic clock through System. */
public final class CallsSystemNanoTime {

    public long elapsedSince(long startNanos) {
        return System.nanoTime() - startNanos;
    }
}
