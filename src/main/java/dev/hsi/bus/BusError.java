package dev.hsi.bus;

import java.util.Arrays;

/** Failure codes of request/reply messages, named once; the numbers are the HTTP statuses the API answers with. */
public enum BusError {

    /** The work asked for is already under way; ask again later. */
    BUSY(409),
    /** The work failed; the message says why. */
    FAILED(500);

    private final int code;

    BusError(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The error a failure code stands for; {@link #FAILED} for codes not listed here (timeouts, no handler). */
    public static BusError of(int code) {
        return Arrays.stream(values()).filter(e -> e.code == code).findFirst().orElse(FAILED);
    }
}
