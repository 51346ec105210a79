package dev.hsi.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.bus.SecurityEvent;
import dev.hsi.support.AlertStage;
import dev.hsi.support.AlertStage.Seen;
import dev.hsi.support.Api;
import dev.hsi.support.Db;
import dev.hsi.support.Eventually;
import dev.hsi.support.WebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert rules judged by the alert stage on real PostgreSQL, with events written and announced as the analyze stage
 * writes and announces them, at chosen times; rules made through the real API; alerts delivered to a real webhook.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertRulesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** 02:30 in Berlin on a Saturday in January (UTC+1). */
    private static final Instant NIGHT = Instant.parse("2026-01-10T01:30:00Z");
    /** 14:00 in Berlin the same day. */
    private static final Instant DAY = Instant.parse("2026-01-10T13:00:00Z");

    @TempDir
    static Path dir;
    private WebhookReceiver webhook;
    private AlertStage stage;
    private Api api;
    private Db db;
    private String backDoor;
    private String garden;

    @BeforeAll
    void start() {
        webhook = new WebhookReceiver();
        stage = new AlertStage(dir, Map.of(
                "WEBHOOK_URL", webhook.url("/hook"),
                "NOTIFICATION_RETRY_BASE_SECONDS", "0.05"));
        api = stage.api();
        db = stage.db();
    }

    @AfterAll
    void stop() {
        if (stage != null) {
            stage.close();
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
        backDoor = created(api.post("/api/cameras/back_door/zones", new JsonObject().put("name", "Back door step")
                .put("zone_type", "entry_point").put("coordinates", new JsonArray("[[0.3,0.5],[0.7,0.5],[0.7,1.0],"
                        + "[0.3,1.0]]")))).getString("id");
        garden = created(api.post("/api/cameras/back_door/zones", new JsonObject().put("name", "Garden")
                .put("coordinates", new JsonArray("[[0,0],[0.3,0.6]]")))).getString("id");
    }

    private JsonObject nightRule() {
        return new JsonObject()
                .put("name", "Person at the back door at night")
                .put("severity", "high")
                .put("object_types", new JsonArray().add("person"))
                .put("zone_ids", new JsonArray().add(backDoor))
                .put("schedule", new JsonObject().put("start_time", "22:00").put("end_time", "06:00")
                        .put("timezone", "Europe/Berlin"))
                .put("channels", new JsonArray().add("webhook"));
    }

    @Test
    @DisplayName("A person in the back-door zone at night raises an alert; by day, a car, or a person elsewhere does not")
    void nightRuleFiresOnlyForAPersonAtTheBackDoorAtNight() {
        String ruleId = created(api.post("/api/alerts/rules", nightRule())).getString("id");

        SecurityEvent night = stage.event("back_door", NIGHT, 40, new Seen("person", 0.91, backDoor));
        SecurityEvent day = stage.event("back_door", DAY, 40, new Seen("person", 0.93, backDoor));
        SecurityEvent car = stage.event("back_door", NIGHT.plusSeconds(3600), 40, new Seen("car", 0.88, backDoor));
        SecurityEvent elsewhere = stage.event("back_door", NIGHT.plusSeconds(7200), 40,
                new Seen("person", 0.9, garden), new Seen("car", 0.7, backDoor));
        List.of(night, day, car, elsewhere).forEach(stage::announce);
        awaitAllEvaluated();

        List<Map<String, Object>> alerts = db.rows("SELECT event_id, rule_id::text AS rule_id, severity, dedup_key,"
                + " metadata::text AS metadata FROM alerts");
        assertThat(alerts).hasSize(1);
        assertThat(((Number) alerts.get(0).get("event_id")).longValue()).isEqualTo(night.id());
        assertThat(alerts.get(0).get("rule_id")).isEqualTo(ruleId);
        assertThat(alerts.get(0).get("severity")).isEqualTo("high");
        assertThat(alerts.get(0).get("dedup_key")).isEqualTo("back_door:" + ruleId);
        JsonObject metadata = new JsonObject((String) alerts.get(0).get("metadata"));
        assertThat(metadata.getString("rule_name")).isEqualTo("Person at the back door at night");
        assertThat(metadata.getJsonArray("matched_conditions").getList()).containsExactly(
                "object_type in [person]", "zone_id in [" + backDoor + "]", "within_schedule");

        JsonObject delivered = awaitAlert(night.id(), "delivered");
        assertThat(delivered.getString("delivered_at")).isNotNull();
        assertThat(delivered.getJsonObject("metadata").getJsonObject("delivery").getJsonObject("webhook")
                .getString("status")).isEqualTo("delivered");
        WebhookReceiver.Request request = webhook.next(WAIT);
        JsonObject payload = new JsonObject(request.body());
        assertThat(payload.getJsonObject("event").getLong("id")).isEqualTo(night.id());
        assertThat(payload.getJsonObject("event").getJsonArray("zone_ids").getList()).containsExactly(backDoor);
    }

    @Test
    @DisplayName("Ten matching events within the cooldown give one alert and one webhook call; one after it gives another")
    void burstGivesOneAlert() {
        created(api.post("/api/alerts/rules", nightRule()));
        for (int i = 0; i < 10; i++) {
            stage.announce(stage.event("back_door", NIGHT.plusSeconds(20L * i), 40,
                    new Seen("person", 0.9, backDoor)));
        }
        awaitAllEvaluated();
        assertThat(db.count("SELECT count(*) FROM alerts")).isEqualTo(1);
        Eventually.await(WAIT, "the alert delivered", () ->
                db.count("SELECT count(*) FROM alerts WHERE status = 'delivered'") == 1);

        stage.announce(stage.event("back_door", NIGHT.plusSeconds(900), 40, new Seen("person", 0.9, backDoor)));
        awaitAllEvaluated();
        assertThat(db.count("SELECT count(*) FROM alerts")).isEqualTo(2);
        Eventually.await(WAIT, "both alerts delivered", () ->
                db.count("SELECT count(*) FROM alerts WHERE status = 'delivered'") == 2);
        assertThat(webhook.drain()).hasSize(2);
    }

    @Test
    @DisplayName("POST /api/alerts/rules/{id}/test reports the same matches the alert stage made, and re-judges at test_time")
    void dryRunReportsTheSameMatches() {
        String ruleId = created(api.post("/api/alerts/rules", nightRule())).getString("id");
        SecurityEvent night = stage.event("back_door", NIGHT, 40, new Seen("person", 0.91, backDoor));
        SecurityEvent day = stage.event("back_door", DAY, 40, new Seen("person", 0.93, backDoor));
        SecurityEvent car = stage.event("back_door", NIGHT.plusSeconds(3600), 40, new Seen("car", 0.88, backDoor));
        List.of(night, day, car).forEach(stage::announce);
        awaitAllEvaluated();

        JsonObject report = ok(api.post("/api/alerts/rules/" + ruleId + "/test", new JsonObject()
                .put("event_ids", new JsonArray().add(night.id()).add(day.id()).add(car.id()))));
        assertThat(report.getString("rule_id")).isEqualTo(ruleId);
        assertThat(report.getString("rule_name")).isEqualTo("Person at the back door at night");
        assertThat(report.getInteger("events_tested")).isEqualTo(3);
        assertThat(report.getInteger("events_matched")).isEqualTo(1);
        assertThat(report.getDouble("match_rate")).isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
        List<Long> matched = report.getJsonArray("results").stream().map(JsonObject.class::cast)
                .filter(r -> r.getBoolean("matches")).map(r -> r.getLong("event_id")).toList();
        List<Long> alerted = db.rows("SELECT event_id FROM alerts").stream()
                .map(row -> ((Number) row.get("event_id")).longValue()).toList();
        assertThat(matched).isEqualTo(alerted).containsExactly(night.id());
        JsonObject nightResult = result(report, night.id());
        assertThat(nightResult.getJsonArray("matched_conditions").getList()).containsExactly(
                "object_type in [person]", "zone_id in [" + backDoor + "]", "within_schedule");
        assertThat(nightResult.getJsonArray("object_types").getList()).containsExactly("person");
        assertThat(nightResult.getString("camera_id")).isEqualTo("back_door");
        assertThat(nightResult.getString("started_at")).isEqualTo(NIGHT.toString());
        assertThat(result(report, car.id()).getJsonArray("matched_conditions")).isEmpty();

        JsonObject recent = ok(api.post("/api/alerts/rules/" + ruleId + "/test", new JsonObject().put("limit", 2)));
        assertThat(recent.getInteger("events_tested")).as("the latest two events").isEqualTo(2);

        JsonObject atNoon = ok(api.post("/api/alerts/rules/" + ruleId + "/test", new JsonObject()
                .put("event_ids", new JsonArray().add(night.id())).put("test_time", "2026-01-10T12:00:00+01:00")));
        assertThat(atNoon.getInteger("events_matched")).isZero();

        assertError(api.post("/api/alerts/rules/" + ruleId + "/test", new JsonObject().put("test_time", "tonight")),
                400, "test_time: must be an ISO-8601 date-time");
        assertError(api.post("/api/alerts/rules/" + ruleId + "/test", new JsonObject().put("limit", 0)),
                400, "limit: must be an integer from 1 to 1000, got 0");
    }

    @Test
    @DisplayName("When several rules match, one alert is written, for the rule with the highest severity")
    void highestSeverityWins() {
        String high = created(api.post("/api/alerts/rules", nightRule())).getString("id");
        String critical = created(api.post("/api/alerts/rules", new JsonObject().put("name", "Anyone, high risk")
                .put("severity", "critical").put("risk_threshold", 70).put("object_types",
                        new JsonArray().add("Person")))).getString("id");
        created(api.post("/api/alerts/rules", new JsonObject().put("name", "Low: anything").put("severity", "low")));

        SecurityEvent risky = stage.event("back_door", NIGHT, 80, new Seen("person", 0.95, backDoor));
        stage.announce(risky);
        awaitAllEvaluated();

        List<Map<String, Object>> alerts = db.rows("SELECT rule_id::text AS rule_id, severity, metadata::text AS m"
                + " FROM alerts");
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("rule_id")).isEqualTo(critical);
        assertThat(alerts.get(0).get("severity")).isEqualTo("critical");
        JsonArray alsoMatched = new JsonObject((String) alerts.get(0).get("m")).getJsonArray("also_matched");
        assertThat(alsoMatched.stream().map(o -> ((JsonObject) o).getString("rule_id")).toList()).hasSize(2)
                .first().isEqualTo(high);
    }

    @Test
    @DisplayName("An event evaluated twice gets one alert; one never evaluated (a crash) is caught up when the stage starts")
    void evaluationIsIdempotentAndCaughtUp() {
        created(api.post("/api/alerts/rules", nightRule().put("cooldown_seconds", 0)));
        SecurityEvent night = stage.event("back_door", NIGHT, 40, new Seen("person", 0.91, backDoor));
        stage.announce(night);
        stage.announce(night);
        awaitAllEvaluated();
        Eventually.await(WAIT, "the alert delivered", () ->
                db.count("SELECT count(*) FROM alerts WHERE status = 'delivered'") == 1);
        stage.announce(night);
        assertThat(db.count("SELECT count(*) FROM alerts")).isEqualTo(1);

        stage.undeployAlerts();
        // committed a minute ago, and the process died before announcing it: nobody evaluated it
        SecurityEvent missed = stage.event("back_door", NIGHT.plusSeconds(3600), 40, new Seen("person", 0.9, backDoor));
        db.update("UPDATE events SET created_at = now() - interval '1 minute' WHERE id = ?", missed.id());
        stage.deployAlerts();
        JsonObject alert = awaitAlert(missed.id(), "delivered");
        assertThat(alert.getString("severity")).isEqualTo("high");
        assertThat(db.count("SELECT count(*) FROM alerts")).isEqualTo(2);
    }

    @Test
    @DisplayName("Rules CRUD: defaults on create, list with pagination, partial update, delete; bad fields are 400 naming them")
    void rulesCrud() {
        JsonObject rule = created(api.post("/api/alerts/rules", new JsonObject().put("name", "Minimal")));
        assertThat(rule.getString("severity")).isEqualTo("medium");
        assertThat(rule.getBoolean("enabled")).isTrue();
        assertThat(rule.getString("dedup_key_template")).isEqualTo("{camera_id}:{rule_id}");
        assertThat(rule.getInteger("cooldown_seconds")).isEqualTo(300);
        assertThat(rule.getJsonArray("channels")).isEmpty();
        assertThat(rule.getValue("object_types")).isNull();
        String id = rule.getString("id");
        created(api.post("/api/alerts/rules", nightRule()));
        created(api.post("/api/alerts/rules", new JsonObject().put("name", "Another").put("enabled", false)));

        JsonObject page = api.json("/api/alerts/rules?limit=2");
        assertThat(page.getJsonArray("items").stream().map(r -> ((JsonObject) r).getString("name")).toList())
                .containsExactly("Another", "Minimal");
        assertThat(page.getJsonObject("pagination")).isEqualTo(new JsonObject().put("total", 3).put("limit", 2)
                .put("offset", 0).put("has_more", true));
        assertThat(api.json("/api/alerts/rules?enabled=false").getJsonObject("pagination").getLong("total"))
                .isEqualTo(1);
        assertThat(api.json("/api/alerts/rules?severity=high").getJsonArray("items").getJsonObject(0)
                .getString("name")).isEqualTo("Person at the back door at night");

        JsonObject updated = ok(api.put("/api/alerts/rules/" + id, new JsonObject().put("severity", "critical")
                .put("dedup_key_template", "{camera_id}:{object_type}").put("channels", new JsonArray().add("mqtt"))));
        assertThat(updated.getString("severity")).isEqualTo("critical");
        assertThat(updated.getString("name")).as("unchanged").isEqualTo("Minimal");
        assertThat(updated.getString("dedup_key_template")).isEqualTo("{camera_id}:{object_type}");
        assertThat(ok(api.get("/api/alerts/rules/" + id))).isEqualTo(updated);

        assertThat(api.delete("/api/alerts/rules/" + id).status()).isEqualTo(204);
        assertError(api.get("/api/alerts/rules/" + id), 404, "Alert rule " + id + " not found");
        assertError(api.delete("/api/alerts/rules/" + id), 404, "not found");
        assertError(api.get("/api/alerts/rules/not-a-uuid"), 400, "rule_id must be a UUID");

        assertError(api.post("/api/alerts/rules", new JsonObject().put("severity", "high")), 400,
                "name: is required");
        assertError(api.post("/api/alerts/rules", new JsonObject().put("name", "x").put("severity", "urgent")), 400,
                "severity: must be one of [low, medium, high, critical], got urgent");
        assertError(api.post("/api/alerts/rules", new JsonObject().put("name", "x").put("risk_threshold", 150)), 400,
                "risk_threshold: must be an integer from 0 to 100, got 150");
        assertError(api.post("/api/alerts/rules", new JsonObject().put("name", "x").put("min_confidence", 1.5)), 400,
                "min_confidence: must be a number from 0 to 1");
        assertError(api.post("/api/alerts/rules", new JsonObject().put("name", "x")
                .put("channels", new JsonArray().add("email"))), 400, "channels: unknown channel 'email'");
        assertError(api.post("/api/alerts/rules", new JsonObject().put("name", "x")
                .put("dedup_key_template", "{camera}")), 400, "dedup_key_template: unknown placeholder {camera}");
        assertError(api.post("/api/alerts/rules", new JsonObject().put("name", "x").put("schedule",
                new JsonObject().put("start_time", "25:00").put("end_time", "06:00"))), 400,
                "schedule.start_time: must be a time HH:MM");
        assertError(api.post("/api/alerts/rules", new JsonObject().put("name", "x").put("schedule",
                new JsonObject().put("start_time", "22:00"))), 400, "schedule: start_time and end_time go together");
        assertError(api.post("/api/alerts/rules", new JsonObject().put("name", "x").put("schedule",
                new JsonObject().put("timezone", "Mars/Olympus"))), 400, "schedule.timezone: must be an IANA time zone");
        assertError(api.post("/api/alerts/rules", new JsonObject().put("name", "x").put("schedule",
                new JsonObject().put("days", new JsonArray().add("funday")))), 400, "schedule.days: unknown day funday");
        assertError(api.send("POST", "/api/alerts/rules", "{not json"), 400, "body: not a JSON object");
    }

    @Test
    @DisplayName("Alerts are listed by status and severity, acknowledged and dismissed once each, and pushed on /ws/events")
    void alertLifecycleOnTheApiAndWebSocket() {
        created(api.post("/api/alerts/rules", nightRule()));
        try (dev.hsi.support.WsClient ws = new dev.hsi.support.WsClient(stage.apiPort(), "/ws/events")) {
            SecurityEvent night = stage.event("back_door", NIGHT, 40, new Seen("person", 0.91, backDoor));
            stage.announce(night);
            JsonObject createdMessage = ws.awaitMessage(WAIT, m -> m.getString("type").equals("alert_created"));
            JsonObject data = createdMessage.getJsonObject("data");
            String alertId = data.getString("id");
            assertThat(data.getLong("event_id")).isEqualTo(night.id());
            assertThat(data.getString("camera_id")).isEqualTo("back_door");
            assertThat(data.getString("status")).isEqualTo("pending");
            JsonObject updatedMessage = ws.awaitMessage(WAIT, m -> m.getString("type").equals("alert_updated"));
            assertThat(updatedMessage.getJsonObject("data").getString("status")).isEqualTo("delivered");

            JsonObject list = api.json("/api/alerts?status=delivered&severity=high");
            assertThat(list.getJsonArray("items")).hasSize(1);
            assertThat(list.getJsonObject("pagination").getLong("total")).isEqualTo(1);
            assertThat(api.json("/api/alerts?status=pending").getJsonArray("items")).isEmpty();
            assertError(api.get("/api/alerts?status=open"), 400, "status must be one of");

            JsonObject acknowledged = ok(api.post("/api/alerts/" + alertId + "/acknowledge", null));
            assertThat(acknowledged.getString("status")).isEqualTo("acknowledged");
            assertThat(ws.awaitMessage(WAIT, m -> m.getString("type").equals("alert_acknowledged"))
                    .getJsonObject("data").getString("id")).isEqualTo(alertId);
            assertError(api.post("/api/alerts/" + alertId + "/acknowledge", null), 409,
                    "Alert is already acknowledged");

            assertThat(ok(api.post("/api/alerts/" + alertId + "/dismiss", null)).getString("status"))
                    .isEqualTo("dismissed");
            assertThat(ws.awaitMessage(WAIT, m -> m.getString("type").equals("alert_dismissed"))
                    .getJsonObject("data").getString("status")).isEqualTo("dismissed");
            assertError(api.post("/api/alerts/" + alertId + "/dismiss", null), 409, "Alert is already dismissed");
            assertError(api.post("/api/alerts/" + alertId + "/acknowledge", null), 409,
                    "Alert cannot be acknowledged. Current status: dismissed");
            assertError(api.post("/api/alerts/00000000-0000-0000-0000-000000000000/dismiss", null), 404,
                    "Alert 00000000-0000-0000-0000-000000000000 not found");
        }
    }

    private void awaitAllEvaluated() {
        Eventually.await(WAIT, "every event evaluated for alerts", () ->
                db.count("SELECT count(*) FROM events WHERE NOT alerts_evaluated") == 0);
    }

    private JsonObject awaitAlert(long eventId, String status) {
        return Eventually.await(WAIT, "the alert of event " + eventId + " " + status, () -> {
            JsonObject alerts = api.json("/api/alerts?limit=100");
            return alerts.getJsonArray("items").stream().map(JsonObject.class::cast)
                    .filter(a -> a.getLong("event_id") == eventId && a.getString("status").equals(status))
                    .findFirst().orElse(null);
        });
    }

    private static JsonObject result(JsonObject report, long eventId) {
        return report.getJsonArray("results").stream().map(JsonObject.class::cast)
                .filter(r -> r.getLong("event_id") == eventId).findFirst().orElseThrow();
    }

    static JsonObject created(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    static JsonObject ok(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    static void assertError(Api.Response response, int status, String detail) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().getString("detail")).contains(detail);
    }
}
