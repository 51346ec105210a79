package dev.hsi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.app.HsiServer;
import dev.hsi.support.Api;
import dev.hsi.support.Ftp;
import dev.hsi.support.Images;
import dev.hsi.support.LlmStandIn;
import dev.hsi.support.LlmStandIn.Reply;
import dev.hsi.support.TestEnv;
import dev.hsi.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole server with {@code NEMOTRON_URL} pointing at a local llama.cpp stand-in: an upload over FTP becomes an
 * event judged by the LLM with the stored prompt; the prompt API edits that prompt; with the LLM down the rules
 * judge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LlmPipelineTest {

    private static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(60);
    private static final String ANSWER = "<think>A person at the porch.</think>{\"risk_score\": 41, \"risk_level\":"
            + " \"medium\", \"summary\": \"A person at the porch\", \"reasoning\": \"Daytime visitor\"}";

    @TempDir
    static Path dataDir;
    private LlmStandIn llm;
    private HsiServer server;
    private Api api;
    private Ftp ftp;
    private int uploads;

    @BeforeAll
    void startServer() {
        llm = new LlmStandIn().reply(Reply.answer(ANSWER));
        Map<String, String> env = TestEnv.pipeline(dataDir);
        env.put("NEMOTRON_URL", llm.url());
        env.put("NEMOTRON_MAX_RETRIES", "1");
        env.put("NEMOTRON_RETRY_BACKOFF_SECONDS", "0.05");
        env.put("NEMOTRON_READ_TIMEOUT", "10");
        server = HsiServer.start(TestEnv.config(env));
        api = new Api(server.apiPort());
        ftp = new Ftp(server.ftpPort(), "cam", "secret");
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        llm.close();
    }

    @Test
    @Order(1)
    @DisplayName("An upload over FTP becomes an event judged by the LLM, on the WebSocket and over REST")
    void uploadJudgedByTheLlm() throws IOException {
        JsonObject event = uploadPerson();
        assertThat(event.getString("analysis_source")).isEqualTo("llm");
        assertThat(event.getInteger("risk_score")).isEqualTo(41);
        assertThat(event.getString("risk_level")).isEqualTo("medium");
        assertThat(event.getString("summary")).isEqualTo("A person at the porch");

        JsonObject stored = api.json("/api/events/" + event.getLong("id"));
        assertThat(stored.getString("analysis_source")).isEqualTo("llm");
        assertThat(stored.getString("reasoning")).isEqualTo("Daytime visitor");
        assertThat(stored.containsKey("anomaly_score")).isTrue();
        assertThat(stored.getString("llm_prompt")).startsWith("<|im_start|>system\nYou are a home security analyst")
                .contains("Camera: Porch", "person, confidence");
        assertThat(llm.received()).isNotEmpty();
        assertThat(llm.received().get(0).path()).isEqualTo("/completion");
    }

    @Test
    @Order(2)
    @DisplayName("The prompt API updates with an optimistic lock, keeps history, restores, and the analyser uses it")
    void promptApi() throws IOException {
        JsonObject current = api.json("/api/prompts/nemotron");
        assertThat(current.getString("model")).isEqualTo("nemotron");
        int version = current.getInteger("version");
        assertThat(current.getJsonObject("config").getInteger("max_tokens")).isEqualTo(1536);
        String original = current.getJsonObject("config").getString("system_prompt");

        Api.Response updated = api.send("PUT", "/api/prompts/nemotron", new JsonObject()
                .put("system_prompt", "CUSTOM MARKER: judge the porch strictly.").put("temperature", 0.2)
                .put("max_tokens", 800).put("expected_version", version)
                .put("change_description", "Stricter porch").encode());
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().getInteger("version")).isEqualTo(version + 1);
        assertThat(updated.json().getJsonObject("config").getDouble("temperature")).isEqualTo(0.2);

        Api.Response stale = api.send("PUT", "/api/prompts/nemotron",
                new JsonObject().put("temperature", 0.5).put("expected_version", version).encode());
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().getString("detail")).contains("expected version " + version)
                .contains("current version is " + (version + 1));

        assertBadRequest(new JsonObject().put("temperature", 2.5), "temperature");
        assertBadRequest(new JsonObject().put("max_tokens", 50), "max_tokens");
        assertBadRequest(new JsonObject().put("max_tokens", "many"), "max_tokens");
        assertBadRequest(new JsonObject().put("system_prompt", "  "), "system_prompt");
        assertBadRequest(new JsonObject(), "none of system_prompt");
        assertThat(api.send("PUT", "/api/prompts/nemotron", "not json").status()).isEqualTo(400);
        assertThat(api.get("/api/prompts/florence9").status()).isEqualTo(404);

        JsonObject history = api.json("/api/prompts/nemotron/history");
        assertThat(history.getLong("total_count")).isEqualTo(version + 1L);
        JsonObject newest = history.getJsonArray("versions").getJsonObject(0);
        assertThat(newest.getInteger("version")).isEqualTo(version + 1);
        assertThat(newest.getBoolean("is_active")).isTrue();
        assertThat(newest.getString("change_description")).isEqualTo("Stricter porch");
        assertThat(history.getJsonArray("versions").getJsonObject(1).getBoolean("is_active")).isFalse();

        llm.forget();
        uploadPerson();
        assertThat(llm.received().get(0).body().getString("prompt"))
                .startsWith("<|im_start|>system\nCUSTOM MARKER: judge the porch strictly.<|im_end|>");
        assertThat(llm.received().get(0).body().getDouble("temperature")).isEqualTo(0.2);
        assertThat(llm.received().get(0).body().getInteger("max_tokens")).isEqualTo(800);

        Api.Response restored = api.send("POST", "/api/prompts/nemotron/history/" + version + "/restore", null);
        assertThat(restored.status()).as(restored.body()).isEqualTo(200);
        assertThat(restored.json().getInteger("restored_version")).isEqualTo(version);
        assertThat(restored.json().getInteger("new_version")).isEqualTo(version + 2);
        JsonObject viaOriginalRoute = api.json("/api/ai-audit/prompts/nemotron");
        assertThat(viaOriginalRoute.getInteger("version")).isEqualTo(version + 2);
        assertThat(viaOriginalRoute.getJsonObject("config").getString("system_prompt")).isEqualTo(original);
        assertThat(viaOriginalRoute.getString("change_description")).isEqualTo("Restored from version " + version);
        assertThat(api.send("POST", "/api/prompts/nemotron/history/999/restore", null).status()).isEqualTo(404);
    }

    @Test
    @Order(3)
    @DisplayName("With the LLM down the event is still created, judged by the rules, and says so")
    void llmDown() throws IOException {
        llm.stop();
        JsonObject event = uploadPerson();
        assertThat(event.getString("analysis_source")).isEqualTo("rules");
        JsonObject stored = api.json("/api/events/" + event.getLong("id"));
        assertThat(stored.getString("reasoning")).startsWith("Rule-based assessment: person seen")
                .contains("LLM unavailable: cannot reach the LLM");
    }

    private void assertBadRequest(JsonObject body, String field) {
        Api.Response response = api.send("PUT", "/api/prompts/nemotron", body.encode());
        assertThat(response.status()).as(body.encode()).isEqualTo(400);
        assertThat(response.json().getString("detail")).contains(field);
    }

    /**
     * A new photo of a person at the porch (padded, so it is no duplicate); the event of its person (the fast path)
     * from the WebSocket. Other objects of the photo come later in a batch event of their own.
     */
    private JsonObject uploadPerson() throws IOException {
        byte[] photo = Files.readAllBytes(Images.PERSON);
        uploads++;
        try (WsClient ws = new WsClient(server.apiPort(), "/ws/events")) {
            ftp.uploadBytes(Arrays.copyOf(photo, photo.length + 16 * uploads), "Porch", "porch-" + uploads + ".jpg");
            JsonObject message = ws.awaitMessage(PIPELINE_TIMEOUT, m -> m.getString("type").equals("event")
                    && m.getJsonObject("data").getString("camera_id").equals("porch")
                    && m.getJsonObject("data").getBoolean("is_fast_path")
                    && m.getJsonObject("data").getString("object_types").equals("person"));
            return message.getJsonObject("data");
        }
    }
}
