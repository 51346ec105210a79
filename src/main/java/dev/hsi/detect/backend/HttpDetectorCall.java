package dev.hsi.detect.backend;

import dev.hsi.config.HttpDetectorConfig;
import dev.hsi.queue.PermanentFailure;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * One image sent to the detector service, with the original client's retry policy: connection errors, timeouts,
 * 5xx and malformed answers are tried again after {@code min(2^attempt, 30)} backoff units; a 4xx refuses the image.
 */
final class HttpDetectorCall {

    /** What one attempt came to: an answer, or the reason to try again. */
    private record Outcome(HttpDetectorResponse response, String retryReason, Throwable cause) {
    }

    private final HttpClient client;
    private final HttpDetectorConfig config;
    private final HttpRequest request;
    private final String imageName;
    private final BooleanSupplier abandoned;

    HttpDetectorCall(HttpClient client, HttpDetectorConfig config, URI endpoint, String imageName, byte[] image,
            BooleanSupplier abandoned) {
        this.client = client;
        this.config = config;
        this.imageName = imageName;
        this.abandoned = abandoned;
        HttpDetectorMultipart body = HttpDetectorMultipart.of(imageName, image);
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                // the JDK's request timeout runs until the response headers arrive, which is when the service has
                // finished inference: the wait the original's read timeout bounds
                .timeout(config.readTimeout())
                .header("Content-Type", body.contentType())
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.body()));
        config.apiKey().ifPresent(key -> builder.header("X-API-Key", key));
        this.request = builder.build();
    }

    CompletableFuture<HttpDetectorResponse> start() {
        return attempt(0);
    }

    private CompletableFuture<HttpDetectorResponse> attempt(int attempt) {
        CompletableFuture<HttpResponse<byte[]>> exchange =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        // the request timeout stops at the headers; a second read timeout bounds a body that then stalls, which
        // would otherwise hold a detect worker forever
        long deadline = config.connectTimeout().plus(config.readTimeout()).plus(config.readTimeout()).toMillis();
        CompletableFuture<HttpResponse<byte[]>> bounded = exchange.copy().orTimeout(deadline, TimeUnit.MILLISECONDS);
        bounded.whenComplete((response, error) -> {
            if (error != null) {
                exchange.cancel(true);
            }
        });
        return bounded.handle(this::outcome).thenCompose(outcome -> next(outcome, attempt));
    }

    private CompletableFuture<HttpDetectorResponse> next(Outcome outcome, int attempt) {
        if (outcome.response() != null) {
            return CompletableFuture.completedFuture(outcome.response());
        }
        int attempts = attempt + 1;
        if (attempt >= config.maxRetries()) {
            return CompletableFuture.failedFuture(new HttpDetector.DetectorUnavailableException(
                    "detector at " + config.url() + " unavailable after " + attempts
                            + (attempts == 1 ? " attempt" : " attempts") + " for " + imageName + ": "
                            + outcome.retryReason(),
                    outcome.cause()));
        }
        // the wait runs on the common pool, not the client's executor: that one is shut down by close(), and a
        // delayed task it rejected would leave this future forever incomplete
        Executor later = CompletableFuture.delayedExecutor(backoff(attempt).toMillis(), TimeUnit.MILLISECONDS);
        return CompletableFuture.runAsync(() -> { }, later).thenCompose(ignored -> abandoned.getAsBoolean()
                ? CompletableFuture.failedFuture(new CancellationException("detection of " + imageName
                        + " abandoned after " + attempts + " attempts: " + outcome.retryReason()))
                : attempt(attempt + 1));
    }

    /** {@code min(2^attempt, 30)} units, attempt counting from 0: 1, 2, 4, 8, 16, 30, 30... */
    private Duration backoff(int attempt) {
        long factor = Math.min(1L << Math.min(attempt, 5), 30);
        return config.retryBackoff().multipliedBy(factor);
    }

    private Outcome outcome(HttpResponse<byte[]> response, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof IOException || cause instanceof TimeoutException) {
                return retry(describe(cause), cause);
            }
            throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            try {
                return new Outcome(HttpDetectorResponse.parse(response.body()), null, null);
            } catch (HttpDetectorResponse.Malformed e) {
                return retry("malformed response (HTTP " + status + "): " + e.getMessage(), e);
            }
        }
        String message = serverMessage(response.body());
        // 408 and 429 say "not now", and 401/403 "wrong RTDETR_API_KEY": none of them means "not this image", so
        // they are retried (and dead-letter only once retries run out) instead of refusing the image at once
        if (status >= 400 && status < 500 && status != 408 && status != 429 && status != 401 && status != 403) {
            throw new PermanentFailure(
                    "detector at " + config.url() + " refused " + imageName + ": HTTP " + status + ": " + message);
        }
        return retry("HTTP " + status + ": " + message, null);
    }

    private static Outcome retry(String reason, Throwable cause) {
        return new Outcome(null, reason, cause);
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        if (error instanceof TimeoutException) {
            return "no complete response within the read timeout";
        }
        return error.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** The service's reason: FastAPI's {@code detail}, another error field, or else the start of the body. */
    private static String serverMessage(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            JsonObject json = new JsonObject(text);
            for (String field : new String[] {"detail", "error", "message"}) {
                Object value = json.getValue(field);
                if (value != null) {
                    return HttpDetectorResponse.snippet(String.valueOf(value));
                }
            }
        } catch (RuntimeException notJson) {
            // a plain-text or HTML error body is shown as it is
        }
        return HttpDetectorResponse.snippet(text);
    }
}
