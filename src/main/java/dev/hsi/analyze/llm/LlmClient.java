package dev.hsi.analyze.llm;

import dev.hsi.config.LlmConfig;
import dev.hsi.resilience.Breaker;
import dev.hsi.resilience.CircuitOpenException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the LLM server for a judgement, asynchronously (the Vert.x web client; nothing blocks an event loop). Each
 * attempt goes through the {@code llm} circuit breaker and counts there. A failure that may pass (no connection,
 * no answer within the read timeout, HTTP 5xx, 408, 429) is tried again after {@code min(2^attempt, 30)} back-off
 * units, up to {@code NEMOTRON_MAX_RETRIES} times; an answer that is no judgement, another 4xx, or an open breaker
 * ends it at once. The caller then gets {@link LlmUnavailableException}.
 */
public final class LlmClient {

    private static final Logger LOG = LoggerFactory.getLogger(LlmClient.class);
    private static final int MAX_QUOTED = 200;

    private final Vertx vertx;
    private final LlmConfig config;
    private final Breaker breaker;
    private final LlmProtocol protocol;
    private final WebClient client;

    /** A failure worth another try. */
    private static final class Transient extends RuntimeException {
        Transient(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    public LlmClient(Vertx vertx, LlmConfig config, Breaker breaker) {
        this.vertx = vertx;
        this.config = config;
        this.breaker = breaker;
        this.protocol = LlmProtocol.of(config);
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setUserAgent("hsi-analyzer")
                .setMaxPoolSize(4));
    }

    /** The prompt text a request is sent as, for {@code events.llm_prompt}. */
    public String promptText(LlmRequest request) {
        return protocol.promptText(request);
    }

    public String endpoint() {
        return config.url().orElseThrow() + protocol.path();
    }

    public Uni<LlmVerdict> judge(LlmRequest request) {
        JsonObject body = protocol.body(request);
        return attempt(body, 0);
    }

    private Uni<LlmVerdict> attempt(JsonObject body, int attempt) {
        return breaker.call(() -> exchange(body))
                .onFailure().recoverWithUni(failure -> {
                    int attempts = attempt + 1;
                    if (failure instanceof CircuitOpenException) {
                        return Uni.createFrom().failure(new LlmUnavailableException(
                                "circuit breaker '" + breaker.name() + "' is open after repeated LLM failures",
                                attempt > 0, failure));
                    }
                    if (failure instanceof Transient && attempt < config.maxRetries()) {
                        Duration wait = backoff(attempt);
                        LOG.warn("LLM at {}: attempt {} failed ({}); trying again in {} ms",
                                endpoint(), attempts, failure.getMessage(), wait.toMillis());
                        return delay(wait).onItem().transformToUni(ignored -> attempt(body, attempt + 1));
                    }
                    String reason = failure instanceof UnusableAnswerException
                            ? "answer unusable: " + failure.getMessage()
                            : failure.getMessage() + (attempts > 1 ? " (after " + attempts + " attempts)" : "");
                    return Uni.createFrom().failure(new LlmUnavailableException(reason, true, failure));
                });
    }

    /** One HTTP exchange and the judgement in its answer. */
    private Uni<LlmVerdict> exchange(JsonObject body) {
        HttpRequest<Buffer> request = client.postAbs(endpoint())
                .connectTimeout(config.connectTimeout().toMillis())
                .idleTimeout(config.readTimeout().toMillis())
                .putHeader("Accept", "application/json");
        config.apiKey().ifPresent(request::bearerTokenAuthentication);
        // the idle timeout bounds each wait for bytes; this bounds a body that trickles in for ever
        Duration whole = config.connectTimeout().plus(config.readTimeout()).plus(config.readTimeout());
        return request.sendJsonObject(body)
                .ifNoItem().after(whole).failWith(() -> new TimeoutException("no complete answer in " + whole.toMillis() + " ms"))
                .onFailure().transform(LlmClient::transportFailure)
                .map(this::verdict);
    }

    private LlmVerdict verdict(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        String text = response.bodyAsString();
        if (status >= 500 || status == 408 || status == 429) {
            throw new Transient("HTTP " + status + ": " + quote(text), null);
        }
        if (status < 200 || status >= 300) {
            throw new IllegalStateException("LLM refused the request: HTTP " + status + ": " + quote(text));
        }
        JsonObject json;
        try {
            json = new JsonObject(text == null ? "" : text);
        } catch (DecodeException | ClassCastException e) {
            throw new UnusableAnswerException("the response is not a JSON object: " + quote(text));
        }
        return LlmAnswerParser.parse(protocol.answerText(json));
    }

    private static Throwable transportFailure(Throwable failure) {
        if (failure instanceof UnusableAnswerException || failure instanceof Transient) {
            return failure;
        }
        String kind = failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout")
                ? "no answer within the timeout" : "cannot reach the LLM";
        return new Transient(kind + " (" + failure.getClass().getSimpleName() + ": " + failure.getMessage() + ")",
                failure);
    }

    /** {@code min(2^attempt, 30)} units, attempt counting from 0: 1, 2, 4, 8, 16, 30... */
    private Duration backoff(int attempt) {
        return config.retryBackoff().multipliedBy(Math.min(1L << Math.min(attempt, 5), 30));
    }

    private Uni<Void> delay(Duration wait) {
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(Math.max(1, wait.toMillis()),
                id -> emitter.complete(null)));
    }

    private static String quote(String text) {
        if (text == null) {
            return "(no body)";
        }
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() > MAX_QUOTED ? flat.substring(0, MAX_QUOTED) + "…" : flat;
    }

    public void close() {
        client.close();
    }
}
