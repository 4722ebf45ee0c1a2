package dev.octo.domain.canary;

import java.util.Date;

/** Canary: {@code new Date()} is a clock read in disguise. */
public final class CreatesADateOfNow {

    public Date startedAt() {
        return new Date();
    }
}
