package dev.hsi.queue;

import dev.hsi.bus.InvalidMessageException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often a failed job runs again: three retries after about 1 s, 2 s and 4 s, so at most four attempts. A job
 * that can never succeed ({@link PermanentFailure}, a malformed payload) is not retried. DLQ entries count the
 * retries in {@code attempt_count} and every run in {@code total_attempts} (decision 0012).
 */
final class RetryPolicy {

    static final int MAX_RETRIES = 3;
    /** The first try and the retries. */
    static final int MAX_ATTEMPTS = MAX_RETRIES + 1;

    private RetryPolicy() {
    }

    static boolean mayRetry(int attemptsMade) {
        return attemptsMade < MAX_ATTEMPTS;
    }

    /** Before retry n (1, 2, 3): 1 s, 2 s, 4 s, plus up to 25 % jitter so that retries of many jobs spread out. */
    static Duration backOff(int retry) {
        long base = 1000L << (retry - 1);
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 4 + 1));
    }

    static boolean isTransient(Throwable failure) {
        return !(failure instanceof PermanentFailure) && !(failure instanceof InvalidMessageException);
    }
}
