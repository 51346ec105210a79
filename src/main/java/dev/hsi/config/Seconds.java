package dev.hsi.config;

import java.time.Duration;

/** Settings are given in (possibly fractional) seconds, as in the original system. */
final class Seconds {

    private Seconds() {
    }

    static Duration of(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
