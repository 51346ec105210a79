package dev.hsi.notify;

import dev.hsi.config.NotificationConfig;
import dev.hsi.resilience.Breaker;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code webhook} channel: a JSON POST to {@code WEBHOOK_URL} with the configured extra headers, retried with
 * back-off, through the {@code notifications} circuit breaker. 2xx is delivered; 408, 429, 5xx and network failures
 * are tried again; any other status is refused for good (retrying would not change the receiver's mind).
 *
 * <p>Headers a receiver can rely on:
 * <ul>
 *   <li>{@value #EVENT_HEADER}: {@code alert} or {@code test};</li>
 *   <li>{@value #DELIVERY_HEADER}: the alert's id, the same on every retry and redelivery, to drop duplicates (the
 *       delivery is at least once);</li>
 *   <li>{@value #TIMESTAMP_HEADER}: seconds since the epoch when this attempt was signed;</li>
 *   <li>{@value #SIGNATURE_HEADER} (when {@code WEBHOOK_SECRET} is set): {@code sha256=} and the lower-case hex
 *       HMAC-SHA256, keyed with the secret, of the timestamp, a dot and the raw body ({@code "1767225600.{...}"}).
 *       A receiver recomputes it over the bytes it received, compares in constant time, and refuses timestamps
 *       more than a few minutes old, so a captured request cannot be replayed later.</li>
 * </ul>
 */
public final class WebhookNotifier {

    public static final String EVENT_HEADER = "X-HSI-Event";
    public static final String DELIVERY_HEADER = "X-HSI-Delivery";
    public static final String TIMESTAMP_HEADER = "X-HSI-Timestamp";
    public static final String SIGNATURE_HEADER = "X-HSI-Signature";
    static final String CHANNEL = "webhook";

    private final NotificationConfig config;
    private final Breaker breaker;
    private final HttpClient client;
    private final Retries retries;

    WebhookNotifier(Vertx vertx, NotificationConfig config, Breaker breaker) {
        this.config = config;
        this.breaker = breaker;
        long timeout = config.webhookTimeout().toMillis();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(timeout, 10_000))
                .setKeepAlive(true)
                .setMaxPoolSize(8));
        this.retries = new Retries(vertx, config.maxRetries(), config.retryBase());
    }

    /** Sends one JSON body ({@code kind}: alert or test), with every retry; never fails, the outcome says how it went. */
    Uni<Delivery> send(URI url, String kind, String deliveryId, String body) {
        return retries.run(CHANNEL, attempt -> breaker.call(() -> post(url, kind, deliveryId, body),
                        status -> retryable(status) ? new IllegalStateException("HTTP " + status) : null)
                .map(WebhookNotifier::judge));
    }

    /** The signature header's value for a body signed at {@code timestamp} (seconds since the epoch). */
    public static String signature(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    Uni<Void> close() {
        return client.close();
    }

    private Uni<Integer> post(URI url, String kind, String deliveryId, String body) {
        long timeout = config.webhookTimeout().toMillis();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url.toString())
                .setIdleTimeout(timeout);
        return client.request(options)
                .onItem().transformToUni(request -> {
                    sign(request, kind, deliveryId, body);
                    return request.send(Buffer.buffer(body));
                })
                .onItem().transformToUni(response -> response.body().map(ignored -> response.statusCode()))
                .ifNoItem().after(config.webhookTimeout()).failWith(() ->
                        new IllegalStateException("no answer within " + timeout + " ms"));
    }

    private void sign(HttpClientRequest request, String kind, String deliveryId, String body) {
        config.webhookHeaders().forEach(request::putHeader);
        long timestamp = Instant.now().getEpochSecond();
        request.putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "HSI-webhook/1")
                .putHeader(EVENT_HEADER, kind)
                .putHeader(DELIVERY_HEADER, deliveryId)
                .putHeader(TIMESTAMP_HEADER, Long.toString(timestamp));
        config.webhookSecret().ifPresent(secret ->
                request.putHeader(SIGNATURE_HEADER, signature(secret, timestamp, body)));
    }

    private static Attempt judge(int status) {
        if (status >= 200 && status < 300) {
            return Attempt.delivered();
        }
        String error = "the receiver answered HTTP " + status;
        return retryable(status) ? Attempt.retry(error) : Attempt.giveUp(error + " (not retried)");
    }

    private static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }
}
