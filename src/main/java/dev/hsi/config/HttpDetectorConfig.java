package dev.hsi.config;

import java.time.Duration;
import java.util.Optional;

/** A remote detector speaking the original's contract: multipart {@code POST {RTDETR_URL}/detect}. */
public record HttpDetectorConfig(
        String url, Optional<String> apiKey, Duration connectTimeout, Duration readTimeout, int maxRetries,
        Duration retryBackoff) {

    public static final String RTDETR_URL = "RTDETR_URL";
    public static final String RTDETR_API_KEY = "RTDETR_API_KEY";
    public static final String AI_CONNECT_TIMEOUT = "AI_CONNECT_TIMEOUT";
    public static final String RTDETR_READ_TIMEOUT = "RTDETR_READ_TIMEOUT";
    public static final String DETECTOR_MAX_RETRIES = "DETECTOR_MAX_RETRIES";
    public static final String DETECTOR_RETRY_BACKOFF_SECONDS = "DETECTOR_RETRY_BACKOFF_SECONDS";

    static HttpDetectorConfig read(EnvReader env) {
        String url = env.string(RTDETR_URL, "http://localhost:8090").replaceAll("/+$", "");
        if (!url.matches("^https?://.+")) {
            env.problem(RTDETR_URL + " must start with http:// or https://");
        }
        return new HttpDetectorConfig(
                url,
                env.optional(RTDETR_API_KEY),
                Seconds.of(env.decimal(AI_CONNECT_TIMEOUT, 10, 0.1, 600)),
                Seconds.of(env.decimal(RTDETR_READ_TIMEOUT, 60, 0.1, 3600)),
                env.integer(DETECTOR_MAX_RETRIES, 3, 0, 20),
                // the original waits min(2^attempt, 30) s between tries; this is the 1 s unit of that
                Seconds.of(env.decimal(DETECTOR_RETRY_BACKOFF_SECONDS, 1, 0.001, 30)));
    }
}
