package dev.hsi.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.bus.SecurityEvent;
import dev.hsi.support.AlertStage;
import dev.hsi.support.AlertStage.Seen;
import dev.hsi.support.Api;
import dev.hsi.support.Db;
import dev.hsi.support.EmbeddedMqttBroker;
import dev.hsi.support.Eventually;
import dev.hsi.support.MqttSubscriber;
import dev.hsi.support.WebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts delivered to a real webhook receiver (a Vert.x HTTP server) and a real MQTT broker (Moquette), by the alert
 * stage on real PostgreSQL; the receiver checks the signature as a user's endpoint would, from the documented recipe.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationChannelsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRET = "correct horse battery staple";
    private static final Instant NIGHT = Instant.parse("2026-01-10T01:30:00Z");

    @TempDir
    static Path dir;
    private WebhookReceiver webhook;
    private EmbeddedMqttBroker broker;
    private AlertStage stage;
    private Api api;
    private Db db;

    @BeforeAll
    void start() {
        webhook = new WebhookReceiver();
        broker = new EmbeddedMqttBroker(dir.resolve("mqtt"));
        stage = new AlertStage(dir, Map.of(
                "WEBHOOK_URL", webhook.url("/hooks/hsi"),
                "WEBHOOK_SECRET", SECRET,
                "WEBHOOK_HEADERS", "{\"Authorization\": \"Bearer home-token\", \"X-Home\": \"main\"}",
                "NOTIFICATION_RETRY_BASE_SECONDS", "0.05",
                "MQTT_URL", broker.url(),
                "MQTT_TOPIC_PREFIX", "home/hsi",
                "MQTT_CLIENT_ID", "hsi-test"));
        api = stage.api();
        db = stage.db();
    }

    @AfterAll
    void stop() {
        if (stage != null) {
            stage.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    @BeforeEach
    void freshScene() {
        stage.clear();
        webhook.drain();
        stage.camera("back_door", "Back Door");
    }

    @Test
    @DisplayName("The webhook receives the alert as JSON with the configured headers and a signature it can verify")
    void webhookGetsASignedAlert() throws Exception {
        String ruleId = rule("webhook");
        SecurityEvent event = stage.event("back_door", NIGHT, 70, new Seen("person", 0.9));
        stage.announce(event);

        WebhookReceiver.Request request = webhook.next(WAIT);
        assertThat(request.path()).isEqualTo("/hooks/hsi");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Authorization")).isEqualTo("Bearer home-token");
        assertThat(request.header("X-Home")).isEqualTo("main");
        assertThat(request.header("X-HSI-Event")).isEqualTo("alert");
        long timestamp = Long.parseLong(request.header("X-HSI-Timestamp"));
        assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).as("signed just now").isLessThan(60);
        String expected = "sha256=" + HexFormat.of().formatHex(hmacSha256(SECRET, timestamp + "." + request.body()));
        assertThat(MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                request.header("X-HSI-Signature").getBytes(StandardCharsets.UTF_8))).as("signature valid").isTrue();
        assertThat(hmacSha256("wrong secret", timestamp + "." + request.body()))
                .isNotEqualTo(HexFormat.of().parseHex(request.header("X-HSI-Signature").substring(7)));

        JsonObject payload = new JsonObject(request.body());
        assertThat(payload.getString("type")).isEqualTo("alert");
        JsonObject alert = payload.getJsonObject("alert");
        assertThat(request.header("X-HSI-Delivery")).isEqualTo(alert.getString("id"));
        assertThat(alert.getString("rule_id")).isEqualTo(ruleId);
        assertThat(alert.getString("rule_name")).isEqualTo("Person, webhook");
        assertThat(alert.getString("severity")).isEqualTo("high");
        assertThat(payload.getJsonObject("event").getLong("id")).isEqualTo(event.id());
        assertThat(payload.getJsonObject("event").getString("camera_name")).isEqualTo("Back Door");
        assertThat(payload.getJsonObject("event").getInteger("risk_score")).isEqualTo(70);

        Map<String, Object> stored = awaitStatus(event.id(), "delivered");
        assertThat(stored.get("delivered_at")).isNotNull();
    }

    @Test
    @DisplayName("A webhook answering 500 then 503 gets the alert on the third attempt; one refusing for good leaves the error")
    void webhookRetriesAndRecordsFailures() {
        rule("webhook");
        webhook.failNext(500, 503);
        SecurityEvent first = stage.event("back_door", NIGHT, 70, new Seen("person", 0.9));
        stage.announce(first);
        awaitStatus(first.id(), "delivered");
        List<WebhookReceiver.Request> attempts = webhook.drain();
        assertThat(attempts).hasSize(3);
        assertThat(attempts.stream().map(r -> r.header("X-HSI-Delivery")).distinct()).hasSize(1);
        JsonObject delivery = delivery(first.id());
        assertThat(delivery.getString("status")).isEqualTo("delivered");
        assertThat(delivery.getInteger("attempts")).isEqualTo(3);

        webhook.failNext(500, 500, 500, 500);
        SecurityEvent second = stage.event("back_door", NIGHT.plusSeconds(3600), 70, new Seen("person", 0.9));
        stage.announce(second);
        JsonObject failed = Eventually.await(WAIT, "the failed delivery recorded", () -> {
            JsonObject outcome = delivery(second.id());
            return outcome != null && "failed".equals(outcome.getString("status")) ? outcome : null;
        });
        assertThat(failed.getInteger("attempts")).as("1 + NOTIFICATION_MAX_RETRIES").isEqualTo(4);
        assertThat(failed.getString("error")).isEqualTo("the receiver answered HTTP 500");
        assertThat(db.rows("SELECT status, delivered_at FROM alerts WHERE event_id = ?", second.id()).get(0))
                .containsEntry("status", "pending").containsEntry("delivered_at", null);

        webhook.failNext(404);
        SecurityEvent third = stage.event("back_door", NIGHT.plusSeconds(7200), 70, new Seen("person", 0.9));
        stage.announce(third);
        JsonObject refused = Eventually.await(WAIT, "the refusal recorded", () -> delivery(third.id()));
        assertThat(refused.getInteger("attempts")).as("a 404 is not retried").isEqualTo(1);
        assertThat(refused.getString("error")).isEqualTo("the receiver answered HTTP 404 (not retried)");

        webhook.drain();
        stage.undeployAlerts();
        stage.deployAlerts();
        awaitStatus(second.id(), "delivered");
        awaitStatus(third.id(), "delivered");
        assertThat(webhook.drain()).as("redelivered at start, the delivered first alert not again").hasSize(2);
    }

    @Test
    @DisplayName("MQTT: the alert on <prefix>/alerts, every event on <prefix>/events, retained Home Assistant discovery")
    void mqttCarriesAlertsEventsAndDiscovery() {
        try (MqttSubscriber subscriber = new MqttSubscriber(broker.port(), "home/hsi/#", "homeassistant/#")) {
            rule("mqtt");
            SecurityEvent event = stage.event("back_door", NIGHT, 70, new Seen("person", 0.9));
            stage.announce(event);

            MqttSubscriber.Message alert = subscriber.await(WAIT, "the alert on home/hsi/alerts",
                    m -> m.topic().equals("home/hsi/alerts"));
            JsonObject payload = new JsonObject(alert.payload());
            assertThat(payload.getJsonObject("alert").getString("rule_name")).isEqualTo("Person, mqtt");
            assertThat(payload.getJsonObject("event").getLong("id")).isEqualTo(event.id());
            awaitStatus(event.id(), "delivered");
            assertThat(delivery(event.id()).getString("status")).isEqualTo("delivered");

            MqttSubscriber.Message published = subscriber.await(WAIT, "the event on home/hsi/events",
                    m -> m.topic().equals("home/hsi/events"));
            assertThat(new JsonObject(published.payload()).getLong("id")).isEqualTo(event.id());
            assertThat(new JsonObject(published.payload()).getInteger("risk_score")).isEqualTo(70);

            // a subscriber that came after they were published still gets them: the broker retained them
            MqttSubscriber.Message status = subscriber.await(WAIT, "availability", m -> m.topic()
                    .equals("home/hsi/status"));
            assertThat(status.payload()).isEqualTo("online");
            List<String> configs = List.of("homeassistant/binary_sensor/hsi-test/alert/config",
                    "homeassistant/sensor/hsi-test/last_alert/config",
                    "homeassistant/sensor/hsi-test/last_event_risk/config");
            for (String topic : configs) {
                JsonObject entity = new JsonObject(subscriber.await(WAIT, topic, m -> m.topic().equals(topic))
                        .payload());
                assertThat(entity.getString("availability_topic")).isEqualTo("home/hsi/status");
                assertThat(entity.getJsonObject("device").getJsonArray("identifiers").getList())
                        .containsExactly("hsi-test");
                assertThat(entity.getString("state_topic")).startsWith("home/hsi/");
            }
            List<EmbeddedMqttBroker.Published> sent = broker.published().stream()
                    .filter(p -> p.clientId().equals("hsi-test")).toList();
            assertThat(sent.stream().filter(p -> p.topic().startsWith("homeassistant/")).map(p -> p.topic())
                    .distinct()).containsExactlyInAnyOrderElementsOf(configs);
            assertThat(sent).filteredOn(p -> p.topic().startsWith("homeassistant/") || p.topic().endsWith("/status"))
                    .allMatch(p -> p.retain() && p.qos() == 1, "retained, QoS 1");
            assertThat(sent).filteredOn(p -> p.topic().endsWith("/alerts") || p.topic().endsWith("/events"))
                    .isNotEmpty().allMatch(p -> !p.retain() && p.qos() == 1, "not retained, QoS 1");
            JsonObject lastAlert = new JsonObject(subscriber.await(WAIT, "last alert", m -> m.topic()
                    .equals(configs.get(1))).payload());
            assertThat(lastAlert.getString("state_topic")).isEqualTo("home/hsi/alerts");
            assertThat(lastAlert.getString("value_template")).isEqualTo("{{ value_json.alert.severity }}");
            assertThat(lastAlert.getString("unique_id")).isEqualTo("hsi-test_last_alert");
        }
    }

    @Test
    @DisplayName("POST /api/notification/test sends a test message on each channel; GET /api/notification/config hides secrets")
    void testMessagesAndConfig() {
        try (MqttSubscriber subscriber = new MqttSubscriber(broker.port(), "home/hsi/alerts")) {
            JsonObject mqtt = ok(api.post("/api/notification/test", new JsonObject().put("channel", "mqtt")));
            assertThat(mqtt.getString("channel")).isEqualTo("mqtt");
            assertThat(mqtt.getBoolean("success")).isTrue();
            assertThat(mqtt.getValue("error")).isNull();
            assertThat(new JsonObject(subscriber.await(WAIT, "the test message", m -> true).payload())
                    .getString("type")).isEqualTo("test");
        }
        JsonObject hook = ok(api.post("/api/notification/test", new JsonObject().put("channel", "webhook")));
        assertThat(hook.getBoolean("success")).as(hook.encode()).isTrue();
        WebhookReceiver.Request request = webhook.next(WAIT);
        assertThat(request.header("X-HSI-Event")).isEqualTo("test");
        assertThat(new JsonObject(request.body()).getJsonObject("alert").getJsonObject("metadata")
                .getString("rule_name")).isEqualTo("Test Notification");

        JsonObject elsewhere = ok(api.post("/api/notification/test", new JsonObject().put("channel", "webhook")
                .put("webhook_url", webhook.url("/other"))));
        assertThat(elsewhere.getBoolean("success")).isTrue();
        assertThat(webhook.next(WAIT).path()).isEqualTo("/other");

        webhook.failNext(403);
        JsonObject refused = ok(api.post("/api/notification/test", new JsonObject().put("channel", "webhook")));
        assertThat(refused.getBoolean("success")).isFalse();
        assertThat(refused.getString("error")).isEqualTo("the receiver answered HTTP 403 (not retried)");
        webhook.drain();

        Api.Response email = api.post("/api/notification/test", new JsonObject().put("channel", "email"));
        assertThat(email.status()).isEqualTo(400);
        assertThat(email.json().getString("detail")).isEqualTo("channel: must be one of [webhook, mqtt], got email");

        JsonObject config = ok(api.get("/api/notification/config"));
        assertThat(config.getBoolean("notification_enabled")).isTrue();
        assertThat(config.getJsonArray("available_channels").getList()).containsExactly("webhook", "mqtt");
        assertThat(config.getString("default_webhook_url")).isEqualTo(webhook.url("/hooks/hsi"));
        assertThat(config.getJsonArray("webhook_header_names").getList()).containsExactlyInAnyOrder(
                "Authorization", "X-Home");
        assertThat(config.getBoolean("webhook_signed")).isTrue();
        assertThat(config.getString("mqtt_host")).isEqualTo("127.0.0.1");
        assertThat(config.getInteger("mqtt_port")).isEqualTo(broker.port());
        assertThat(config.getString("mqtt_topic_prefix")).isEqualTo("home/hsi");
        assertThat(config.getBoolean("mqtt_connected")).isTrue();
        assertThat(config.encode()).doesNotContain(SECRET).doesNotContain("home-token");
    }

    private String rule(String channel) {
        Api.Response created = api.post("/api/alerts/rules", new JsonObject()
                .put("name", "Person, " + channel)
                .put("severity", "high")
                .put("object_types", new JsonArray().add("person"))
                .put("cooldown_seconds", 0)
                .put("channels", new JsonArray().add(channel)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().getString("id");
    }

    private Map<String, Object> awaitStatus(long eventId, String status) {
        return Eventually.await(WAIT, "the alert of event " + eventId + " " + status, () -> {
            List<Map<String, Object>> rows = db.rows("SELECT status, delivered_at FROM alerts WHERE event_id = ?"
                    + " AND status = ?", eventId, status);
            return rows.isEmpty() ? null : rows.get(0);
        });
    }

    /** The alert's recorded delivery on its one channel, or null while none is recorded. */
    private JsonObject delivery(long eventId) {
        List<Map<String, Object>> rows = db.rows("SELECT metadata::text AS m, channels->>0 AS channel FROM alerts"
                + " WHERE event_id = ?", eventId);
        if (rows.isEmpty()) {
            return null;
        }
        JsonObject deliveries = new JsonObject((String) rows.get(0).get("m")).getJsonObject("delivery");
        return deliveries == null ? null : deliveries.getJsonObject((String) rows.get(0).get("channel"));
    }

    private static JsonObject ok(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static byte[] hmacSha256(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }
}
