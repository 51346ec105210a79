package dev.hsi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hsi.app.HsiServer;
import dev.hsi.config.ConfigException;
import dev.hsi.support.Api;
import dev.hsi.support.Db;
import dev.hsi.support.TestEnv;
import dev.hsi.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API_KEY_ENABLED / API_KEYS as the original: X-API-Key header or ?api_key=, 401 otherwise, hashes stored only. */
class ApiKeyTest {

    private static final String KEY = "Front-Door-Key-7f3a";

    @TempDir
    static Path dataDir;
    static HsiServer server;
    static Api api;

    @BeforeAll
    static void start() {
        Map<String, String> env = TestEnv.pipeline(dataDir);
        env.put("API_KEY_ENABLED", "true");
        env.put("API_KEYS", "[\"" + KEY + "\", \"second-key\"]");
        server = HsiServer.start(TestEnv.config(env));
        api = new Api(server.apiPort());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void probesAndThePageNeedNoKey() {
        assertThat(api.get("/health").status()).isEqualTo(200);
        assertThat(api.get("/").status()).isEqualTo(200);
    }

    @Test
    void anApiRouteWithoutAKeyIsRefusedWithWhatToSend() {
        Api.Response response = api.get("/api/events");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().getString("detail")).contains("X-API-Key");
        assertThat(api.get("/api/dlq/stats").status()).isEqualTo(401);
    }

    @Test
    void aWrongKeyIsRefused() {
        assertThat(api.get("/api/events?api_key=front-door-key-7f3a").status()).isEqualTo(401);
        assertThat(getWithHeader("/api/events", "nope").statusCode()).isEqualTo(401);
    }

    @Test
    void theKeyIsAcceptedInTheHeaderOrTheQuery() {
        HttpResponse<String> response = getWithHeader("/api/events", KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getJsonArray("events")).isNotNull();
        assertThat(api.get("/api/cameras?api_key=second-key").status()).isEqualTo(200);
    }

    @Test
    void theWebSocketNeedsTheKeyToo() {
        assertThatThrownBy(() -> new WsClient(server.apiPort(), "/ws/events").close())
                .isInstanceOf(CompletionException.class);
        try (WsClient ws = new WsClient(server.apiPort(), "/ws/events?api_key=" + KEY)) {
            ws.send("{\"type\":\"ping\"}");
            assertThat(ws.awaitMessage(Duration.ofSeconds(10), m -> "pong".equals(m.getString("type")))).isNotNull();
        }
    }

    @Test
    void onlyHashesOfTheKeysAreStored() {
        Db db = new Db(server.database());
        assertThat(db.count("SELECT count(*) FROM api_keys WHERE is_active")).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM api_keys WHERE key_hash = ?", ApiKeyGuard.sha256(KEY))).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM api_keys WHERE key_hash LIKE ?", "%" + KEY + "%")).isZero();
    }

    @Test
    void keysOnWithoutAnyKeyIsAConfigurationError() {
        Map<String, String> env = TestEnv.pipeline(dataDir.resolve("other"));
        env.put("API_KEY_ENABLED", "yes");
        assertThatThrownBy(() -> TestEnv.config(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("API_KEYS");
        env.put("API_KEY_ENABLED", "maybe");
        assertThatThrownBy(() -> TestEnv.config(env)).hasMessageContaining("API_KEY_ENABLED must be true or false");
    }

    private static HttpResponse<String> getWithHeader(String path, String key) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.apiPort() + path))
                    .header(ApiKeyGuard.HEADER, key).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
