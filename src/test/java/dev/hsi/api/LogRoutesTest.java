package dev.hsi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.support.Api;
import dev.hsi.support.ApiStack;
import dev.hsi.support.Db;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/logs through the real API on a real PostgreSQL, with log rows in several monthly partitions. */
class LogRoutesTest {

    @TempDir
    static Path dataDir;
    static ApiStack stack;
    static Api api;
    static Db db;

    @BeforeAll
    static void start() {
        stack = ApiStack.start(dataDir);
        api = stack.api();
        db = stack.db();
        db.rows("SELECT hsi_create_monthly_partitions('logs', 13, '2026-01-01')");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @BeforeEach
    void noLogs() {
        db.update("TRUNCATE logs");
    }

    @Test
    @DisplayName("Each filter narrows the list: level (any case), component, camera, source, message text, dates")
    void filters() {
        long error = log("2026-02-10T10:00:00Z", "ERROR", "detect", "front_door", "backend", "Detector timed out");
        long warning = log("2026-03-10T10:00:00Z", "WARNING", "ingest", "front_door", "backend", "Upload 50% late");
        long info = log("2026-04-10T10:00:00Z", "INFO", "ingest", "back_yard", "backend", "Upload stored");
        long frontend = log("2026-05-10T10:00:00Z", "ERROR", "RiskGauge", null, "frontend", "WebSocket lost");

        assertThat(listed("level=error")).containsExactly(frontend, error);
        assertThat(listed("component=ingest")).containsExactly(info, warning);
        assertThat(listed("camera_id=front_door")).containsExactly(warning, error);
        assertThat(listed("source=frontend")).containsExactly(frontend);
        assertThat(listed("search=UPLOAD")).containsExactly(info, warning);
        assertThat(listed("search=50%25")).as("% is text, not a wildcard").containsExactly(warning);
        assertThat(listed("search=_")).isEmpty();
        assertThat(listed("start_date=2026-03-01&end_date=2026-04-30")).containsExactly(info, warning);
    }

    @Test
    @DisplayName("Keyset pages walk (timestamp, id) newest first, ties included, in the original's pagination envelope")
    void cursorPages() {
        for (String time : new String[] {"2026-01-05T00:00:00Z", "2026-02-01T12:00:00Z", "2026-02-01T12:00:00Z",
            "2026-02-01T12:00:00Z", "2026-03-31T23:59:59Z", "2026-06-15T08:00:00Z", "2026-11-01T00:00:00Z"}) {
            log(time, "INFO", "api", null, "backend", "entry");
        }
        List<Long> expected = db.rows("SELECT id FROM logs ORDER BY timestamp DESC, id DESC").stream()
                .map(row -> (Long) row.get("id")).toList();

        JsonObject page = api.json("/api/logs?limit=3");
        JsonObject pagination = page.getJsonObject("pagination");
        assertThat(pagination.getLong("total")).isEqualTo(7);
        assertThat(pagination.getInteger("limit")).isEqualTo(3);
        assertThat(pagination.getValue("offset")).isNull();
        assertThat(pagination.getValue("cursor")).isNull();
        List<Long> seen = new ArrayList<>(ids(page));
        while (page.getJsonObject("pagination").getBoolean("has_more")) {
            String cursor = page.getJsonObject("pagination").getString("next_cursor");
            page = api.json("/api/logs?limit=3&cursor=" + cursor);
            assertThat(page.getJsonObject("pagination").getString("cursor")).isEqualTo(cursor);
            assertThat(page.getJsonObject("pagination").getLong("total")).isZero();
            seen.addAll(ids(page));
        }

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(page.getJsonObject("pagination").getValue("next_cursor")).isNull();
    }

    @Test
    @DisplayName("Offsets still work, marked deprecated with the IETF headers")
    void offsetPaging() {
        for (int i = 1; i <= 5; i++) {
            log("2026-02-0" + i + "T00:00:00Z", "INFO", "api", null, "backend", "entry " + i);
        }

        Api.Response response = api.get("/api/logs?limit=2&offset=2");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Deprecation")).isEqualTo("true");
        assertThat(response.header("Sunset")).isNotBlank();
        JsonObject pagination = response.json().getJsonObject("pagination");
        assertThat(pagination.getInteger("offset")).isEqualTo(2);
        assertThat(pagination.getBoolean("has_more")).isTrue();
        assertThat(response.json().getJsonArray("items").getJsonObject(0).getString("message")).isEqualTo("entry 3");
    }

    @Test
    @DisplayName("One entry by id, with every column; 404 for a missing one, 400 for a bad id")
    void oneEntry() {
        long id = log("2026-02-10T10:00:00Z", "ERROR", "detect", "front_door", "backend", "Detector timed out");

        JsonObject entry = api.json("/api/logs/" + id);

        assertThat(entry.getString("timestamp")).isEqualTo("2026-02-10T10:00:00Z");
        assertThat(entry.getString("level")).isEqualTo("ERROR");
        assertThat(entry.getString("camera_id")).isEqualTo("front_door");
        assertThat(entry.fieldNames()).contains("event_id", "request_id", "detection_id", "duration_ms", "extra",
                "source", "user_agent");
        assertThat(api.get("/api/logs/" + (id + 1000)).status()).isEqualTo(404);
        assertThat(api.get("/api/logs/abc").status()).isEqualTo(400);
    }

    @Test
    @DisplayName("The day's figures count only today's entries, by level and by component")
    void stats() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        log(now.toString(), "ERROR", "detect", null, "backend", "a");
        log(now.toString(), "WARNING", "ingest", null, "backend", "b");
        log(now.toString(), "INFO", "ingest", null, "backend", "c");
        log(now.minusDays(2).toString(), "ERROR", "detect", null, "backend", "old");

        JsonObject stats = api.json("/api/logs/stats");

        assertThat(stats.getLong("total_today")).isEqualTo(3);
        assertThat(stats.getLong("errors_today")).isEqualTo(1);
        assertThat(stats.getLong("warnings_today")).isEqualTo(1);
        assertThat(stats.getJsonObject("by_level").getMap()).isEqualTo(Map.of("ERROR", 1, "INFO", 1, "WARNING", 1));
        assertThat(stats.getJsonObject("by_component").getMap()).isEqualTo(Map.of("ingest", 2, "detect", 1));
        assertThat(stats.getString("top_component")).isEqualTo("ingest");
    }

    @Test
    @DisplayName("POST /api/logs/frontend stores a frontend entry; the user agent comes from the header when not sent")
    void frontendLog() {
        Api.Response created = api.post("/api/logs/frontend", new JsonObject().put("level", "error")
                .put("component", "RiskGauge").put("message", "WebSocket connection lost")
                .put("extra", new JsonObject().put("reconnect_attempts", 3))
                .put("url", "http://localhost:8000/").encode(), "User-Agent", "TestBrowser/1.0");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json()).isEqualTo(new JsonObject().put("status", "created"));
        Map<String, Object> row = db.rows("SELECT level, component, message, source, user_agent, extra::text AS extra"
                + " FROM logs").get(0);
        assertThat(row).containsEntry("level", "ERROR").containsEntry("component", "RiskGauge")
                .containsEntry("source", "frontend").containsEntry("user_agent", "TestBrowser/1.0");
        assertThat(new JsonObject((String) row.get("extra"))).isEqualTo(new JsonObject()
                .put("reconnect_attempts", 3).put("url", "http://localhost:8000/"));

        api.post("/api/logs/frontend", new JsonObject().put("level", "INFO").put("component", "Grid")
                .put("message", "ok").put("user_agent", "Sent/2").encode(), "User-Agent", "Header/1");
        assertThat(db.rows("SELECT user_agent FROM logs WHERE component = 'Grid'").get(0))
                .containsEntry("user_agent", "Sent/2");
    }

    @Test
    @DisplayName("An invalid frontend log is a 400 listing every problem, and nothing is stored")
    void invalidFrontendLogs() {
        assertRefused("{}", "level is required; component is required; message is required");
        assertRefused(new JsonObject().put("level", "VERBOSE").put("component", "x".repeat(51))
                .put("message", "m".repeat(2001)).put("extra", "text").encode(),
                "level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'VERBOSE'; component must be at"
                        + " most 50 characters, got 51; message must be at most 2000 characters, got 2001; extra"
                        + " must be a JSON object");
        assertRefused(new JsonObject().put("level", 3).put("component", " ").put("message", "m").encode(),
                "level must be a string; component must not be empty");
        assertRefused("not json", "The body must be a JSON object");
        assertRefused("[1, 2]", "The body must be a JSON object");
        assertThat(db.count("SELECT count(*) FROM logs")).isZero();
    }

    @Test
    @DisplayName("Bad filters and cursors are a 400 with the reason")
    void badFilters() {
        assertThat(detail(api.get("/api/logs?level=verbose"))).contains("level must be one of");
        assertThat(detail(api.get("/api/logs?source=kernel"))).contains("source must be one of");
        assertThat(detail(api.get("/api/logs?cursor=%25%25"))).startsWith("Invalid cursor");
        assertThat(detail(api.get("/api/logs?search=" + "s".repeat(201)))).contains("search must be at most 200");
        assertThat(detail(api.get("/api/logs?limit=1001"))).contains("limit must be between 1 and 1000");
    }

    private void assertRefused(String body, String detail) {
        Api.Response response = api.post("/api/logs/frontend", body);
        assertThat(response.status()).as(body).isEqualTo(400);
        assertThat(response.json().getString("detail")).as(body).contains(detail);
    }

    private static String detail(Api.Response response) {
        assertThat(response.status()).isEqualTo(400);
        return response.json().getString("detail");
    }

    private static List<Long> listed(String query) {
        return ids(api.json("/api/logs?" + query));
    }

    private static List<Long> ids(JsonObject page) {
        return page.getJsonArray("items").stream().map(item -> ((JsonObject) item).getLong("id")).toList();
    }

    private static long log(String time, String level, String component, String camera, String source, String message) {
        return (Long) db.rows("INSERT INTO logs (timestamp, level, component, camera_id, source, message)"
                + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id", OffsetDateTime.parse(time), level, component, camera,
                source, message).get(0).get("id");
    }
}
