package dev.octo.domain.canary;

/** Canary: the domain reading the wall clock through System. */
public final class CallsSystemCurrentTimeMillis {

    public long startedAtMillis() {
        return System.currentTimeMillis();
    }
}
