package dev.hsi.api;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys, as the original takes them ({@code API_KEY_ENABLED}, {@code API_KEYS}, header {@code X-API-Key} or query
 * {@code ?api_key=}). The keys of {@code API_KEYS} are stored as SHA-256 hashes in {@code api_keys} at start; every
 * active hash there is accepted, and the set is reloaded periodically so that a key switched off in the table stops
 * working without a restart. Unlike the original, detection images and the WebSocket need a key too: the dashboard
 * passes its own {@code ?api_key=} along.
 */
final class ApiKeyGuard {

    static final String HEADER = "X-API-Key";
    static final String QUERY_PARAMETER = "api_key";
    /** Where an accepted request carries its key's name ({@code api_keys.name}). */
    static final String KEY_NAME = "hsi.api_key_name";
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyGuard.class);

    private final boolean enabled;
    private final List<String> configuredKeys;
    private final Pool pool;
    /** Active key hashes and the key's name, which the audit trail records as the actor. */
    private volatile Map<String, String> activeKeys = Map.of();

    ApiKeyGuard(boolean enabled, List<String> configuredKeys, Pool pool) {
        this.enabled = enabled;
        this.configuredKeys = configuredKeys;
        this.pool = pool;
    }

    /** Stores the configured keys' hashes and loads the active ones; nothing to do when keys are off. */
    Uni<Void> start() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> keys = new ArrayList<>();
        IntStream.range(0, configuredKeys.size()).forEach(i ->
                keys.add(Tuple.of(sha256(configuredKeys.get(i)), "API_KEYS[" + i + "]")));
        return pool.preparedQuery(ApiKeySql.REGISTER).executeBatch(keys)
                .onItem().transformToUni(ignored -> reload())
                .invoke(() -> LOG.info("API keys required: {} active key(s)", activeKeys.size()));
    }

    Uni<Void> reload() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return pool.query(ApiKeySql.ACTIVE_HASHES).execute()
                .invoke(rows -> {
                    Map<String, String> keys = new HashMap<>();
                    for (Row row : rows) {
                        keys.put(row.getString("key_hash"), row.getString("name"));
                    }
                    activeKeys = Map.copyOf(keys);
                })
                .replaceWithVoid();
    }

    /** Lets a request through, or fails it with 401 and what to send. Health checks and the page need no key. */
    void handle(RoutingContext ctx) {
        if (!enabled || isOpen(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        String key = ctx.request().getHeader(HEADER);
        if (key == null || key.isBlank()) {
            key = ctx.request().getParam(QUERY_PARAMETER);
        }
        if (key == null || key.isBlank()) {
            ctx.fail(new ApiError(401, "Missing API key: send it in the " + HEADER + " header (or ?"
                    + QUERY_PARAMETER + "=)"));
        } else {
            String name = activeKeys.get(sha256(key));
            if (name == null) {
                ctx.fail(new ApiError(401, "Invalid API key"));
            } else {
                ctx.put(KEY_NAME, name);
                ctx.next();
            }
        }
    }

    /** The page and its files, and the liveness and readiness probes (monitoring tools carry no key). */
    private static boolean isOpen(String path) {
        return path.equals("/health") || path.equals("/ready")
                || !(path.startsWith("/api/") || path.startsWith("/ws/"));
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
