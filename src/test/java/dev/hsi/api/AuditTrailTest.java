package dev.hsi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.support.Api;
import dev.hsi.support.ApiStack;
import dev.hsi.support.Db;
import dev.hsi.support.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail through the real API (with API keys) on a real PostgreSQL: what changes is written down. */
class AuditTrailTest {

    private static final String KEY = "audit-trail-key-51c";
    private static final String KEY_NAME = "API_KEYS[0]";
    private static final String AGENT = "hsi-audit-test/1.0";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dataDir;
    static ApiStack stack;
    static Api api;
    static Db db;

    @BeforeAll
    static void start() {
        stack = ApiStack.start(dataDir, Map.of("API_KEY_ENABLED", "true", "API_KEYS", "[\"" + KEY + "\"]"));
        api = stack.api();
        db = stack.db();
        db.update("INSERT INTO cameras (id, name, folder_path) VALUES ('porch', 'Porch', '/p')");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    @DisplayName("PATCH /api/events/{id} reviews the event and writes one event_reviewed row: actor, ip, agent, id")
    void anEventReviewIsAudited() {
        long event = event();
        Api.Response response = send("PATCH", "/api/events/" + event, "{\"reviewed\": true, \"notes\": \"postman\"}");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().getBoolean("reviewed")).isTrue();
        assertThat(response.json().getString("notes")).isEqualTo("postman");
        assertThat(db.rows("SELECT reviewed, notes FROM events WHERE id = ?", event))
                .containsExactly(Map.of("reviewed", true, "notes", "postman"));

        JsonObject row = single("action=event_reviewed&resource_id=" + event);
        assertThat(row.getString("resource_type")).isEqualTo("event");
        assertThat(row.getString("actor")).isEqualTo(KEY_NAME);
        assertThat(row.getString("ip_address")).isEqualTo("127.0.0.1");
        assertThat(row.getString("user_agent")).isEqualTo(AGENT);
        assertThat(row.getString("status")).isEqualTo("success");
        assertThat(row.getJsonObject("details").getBoolean("reviewed")).isTrue();
        assertThat(row.getJsonObject("details").getInteger("status_code")).isEqualTo(200);
        assertThat(get("/api/audit/" + row.getLong("id")).json()).isEqualTo(row);

        assertThat(send("PATCH", "/api/events/" + event, "{\"reviewed\": false}").status()).isEqualTo(200);
        assertThat(single("action=event_dismissed&resource_id=" + event).getString("status")).isEqualTo("success");
    }

    @Test
    @DisplayName("Creating an alert rule writes one rule_created row naming the new rule's id")
    void anAlertRuleCreateIsAudited() {
        Api.Response created = send("POST", "/api/alerts/rules",
                new JsonObject().put("name", "Anyone on the porch").put("severity", "high").encode());
        assertThat(created.status()).isEqualTo(201);
        String ruleId = created.json().getString("id");

        JsonObject row = single("action=rule_created&resource_id=" + ruleId);
        assertThat(row.getString("resource_type")).isEqualTo("alert_rule");
        assertThat(row.getString("actor")).isEqualTo(KEY_NAME);
        assertThat(row.getString("ip_address")).isEqualTo("127.0.0.1");
        assertThat(single("resource_type=alert_rule&resource_id=" + ruleId).getLong("id")).isEqualTo(row.getLong("id"));
    }

    @Test
    @DisplayName("A change that fails (400, 404) is written with status failure; a refused API key is not audited")
    void failuresAreAuditedAsFailures() {
        long event = event();
        assertThat(send("PATCH", "/api/events/" + event, "{\"reviewed\": \"yes\"}").status()).isEqualTo(400);
        JsonObject refused = single("resource_id=" + event + "&status=failure");
        assertThat(refused.getString("action")).isEqualTo("event_reviewed");
        assertThat(refused.getJsonObject("details").getInteger("status_code")).isEqualTo(400);

        assertThat(send("PATCH", "/api/events/987654321", "{\"reviewed\": true}").status()).isEqualTo(404);
        assertThat(single("resource_id=987654321").getString("status")).isEqualTo("failure");

        long before = db.count("SELECT count(*) FROM audit_logs");
        assertThat(api.send("PATCH", "/api/events/" + event, "{\"reviewed\": true}").status()).isEqualTo(401);
        assertThat(db.count("SELECT count(*) FROM audit_logs")).isEqualTo(before);
    }

    @Test
    @DisplayName("An audit write that fails is logged and the change still answers as usual")
    void aFailedAuditWriteNeverFailsTheRequest() {
        String ruleId = send("POST", "/api/alerts/rules", new JsonObject().put("name", "Short lived").encode())
                .json().getString("id");
        db.update("ALTER TABLE audit_logs ADD CONSTRAINT audit_refuses_deletes CHECK (action <> 'rule_deleted')");
        try {
            assertThat(send("DELETE", "/api/alerts/rules/" + ruleId, null).status()).isEqualTo(204);
            assertThat(get("/api/alerts/rules/" + ruleId).status()).isEqualTo(404);
        } finally {
            db.update("ALTER TABLE audit_logs DROP CONSTRAINT audit_refuses_deletes");
        }
        assertThat(db.count("SELECT count(*) FROM audit_logs WHERE action = 'rule_deleted'")).isZero();
    }

    @Test
    @DisplayName("GET /api/audit refuses bad filters with 400 naming them; /{id} answers 400 or 404; /stats counts")
    void badFiltersAndStats() {
        for (String query : new String[] {"status=maybe", "limit=0", "limit=1001", "offset=-1", "start_date=yesterday",
            "start_date=2026-05-02&end_date=2026-05-01"}) {
            Api.Response response = get("/api/audit?" + query);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.json().getString("detail")).as(query).contains(query.substring(0, query.indexOf('=')));
        }
        assertThat(get("/api/audit/abc").status()).isEqualTo(400);
        Api.Response missing = get("/api/audit/987654321");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().getString("detail")).contains("987654321");

        send("POST", "/api/alerts/rules", new JsonObject().put("name", "Counted").encode());
        Eventually.await(TIMEOUT, "a rule_created row", () -> db.count(
                "SELECT count(*) FROM audit_logs WHERE action = 'rule_created'") > 0);
        JsonObject stats = get("/api/audit/stats").json();
        long total = db.count("SELECT count(*) FROM audit_logs");
        assertThat(stats.getLong("total_logs")).isEqualTo(total);
        assertThat(stats.getLong("logs_today")).isEqualTo(total);
        assertThat(stats.getJsonObject("by_action").getLong("rule_created"))
                .isEqualTo(db.count("SELECT count(*) FROM audit_logs WHERE action = 'rule_created'"));
        assertThat(stats.getJsonObject("by_resource_type").getLong("alert_rule")).isPositive();
        assertThat(stats.getJsonObject("by_status").getLong("success")).isPositive();
        assertThat(stats.getJsonArray("recent_actors")).contains(KEY_NAME);

        JsonObject page = get("/api/audit?actor=" + KEY_NAME.replace("[", "%5B").replace("]", "%5D") + "&limit=1")
                .json();
        assertThat(page.getJsonArray("items")).hasSize(1);
        assertThat(page.getJsonObject("pagination").getLong("total")).isEqualTo(
                db.count("SELECT count(*) FROM audit_logs WHERE actor = ?", KEY_NAME));
        assertThat(get("/api/audit?actor=nobody").json().getJsonArray("items")).isEmpty();
    }

    /** The one audit row the filter finds, once written (rows are written after the response). */
    private static JsonObject single(String filter) {
        JsonArray items = Eventually.await(TIMEOUT, "an audit row for " + filter, () -> {
            JsonArray found = get("/api/audit?" + filter).json().getJsonArray("items");
            return found.isEmpty() ? null : found;
        });
        assertThat(items).as(filter).hasSize(1);
        return items.getJsonObject(0);
    }

    private static long event() {
        OffsetDateTime at = OffsetDateTime.now().minusHours(1);
        return (Long) db.rows("INSERT INTO events (batch_id, camera_id, started_at, ended_at, risk_score, risk_level,"
                + " summary) VALUES (gen_random_uuid()::text, 'porch', ?, ?, 40, 'medium', 'A person at the door')"
                + " RETURNING id", at, at.plusSeconds(30)).get(0).get("id");
    }

    private static Api.Response get(String path) {
        return send("GET", path, null);
    }

    private static Api.Response send(String method, String path, String body) {
        return api.send(method, path, body, "X-API-Key", KEY, "User-Agent", AGENT);
    }
}
