package dev.hsi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.support.Api;
import dev.hsi.support.ApiStack;
import dev.hsi.support.Db;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keyset pages of GET /api/events, through the real API on a real PostgreSQL with events in several partitions. */
class EventPagingTest {

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
        db.rows("SELECT hsi_create_monthly_partitions('events', 13, '2026-01-01')");
        db.update("INSERT INTO cameras (id, name, folder_path) VALUES ('front_door', 'Front Door', '/f'),"
                + " ('back_yard', 'Back Yard', '/b')");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @BeforeEach
    void noEvents() {
        db.update("TRUNCATE events CASCADE");
    }

    @Test
    @DisplayName("Following next_cursor walks every event once, newest first, ties on started_at broken by id")
    void cursorWalksEveryEventOnce() {
        seedEleven();
        List<Long> expected = idsNewestFirst("SELECT id FROM events ORDER BY started_at DESC, id DESC");

        List<Long> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String path = "/api/events?limit=4";
        JsonObject page = api.json(path);
        assertThat(page.getLong("count")).isEqualTo(11);
        while (true) {
            pageSizes.add(page.getJsonArray("events").size());
            page.getJsonArray("events").forEach(e -> seen.add(((JsonObject) e).getLong("id")));
            if (!page.getBoolean("has_more")) {
                assertThat(page.getValue("next_cursor")).isNull();
                break;
            }
            page = api.json(path + "&cursor=" + page.getString("next_cursor"));
            assertThat(page.getLong("count")).as("count is not recomputed for later pages").isZero();
            assertThat(page.getValue("deprecation_warning")).isNull();
        }

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(pageSizes).containsExactly(4, 4, 3);
    }

    @Test
    @DisplayName("A cursor page continues where the last one ended even when newer events arrived meanwhile")
    void cursorIsStableUnderInserts() {
        seedEleven();
        List<Long> expected = idsNewestFirst("SELECT id FROM events ORDER BY started_at DESC, id DESC");
        JsonObject first = api.json("/api/events?limit=3");

        insertEvent("front_door", "2026-12-31T23:00:00Z", "high", "A newer event");
        JsonObject second = api.json("/api/events?limit=3&cursor=" + first.getString("next_cursor"));
        JsonObject byOffset = api.json("/api/events?limit=3&offset=3");

        assertThat(ids(second)).containsExactlyElementsOf(expected.subList(3, 6));
        assertThat(ids(byOffset)).as("offsets shift when rows arrive, cursors do not")
                .containsExactlyElementsOf(expected.subList(2, 5));
    }

    @Test
    @DisplayName("Filters hold on every cursor page: one camera, a date range and a risk level")
    void filtersHoldAcrossPages() {
        seedEleven();
        List<Long> expected = idsNewestFirst("SELECT id FROM events WHERE camera_id = 'back_yard'"
                + " AND started_at >= '2026-02-01' AND started_at <= '2026-06-30' ORDER BY started_at DESC, id DESC");
        String filter = "camera_id=back_yard&start_date=2026-02-01&end_date=2026-06-30T00:00:00Z";

        JsonObject page = api.json("/api/events?limit=2&" + filter);
        assertThat(page.getLong("count")).isEqualTo(expected.size()).isEqualTo(6);
        List<Long> seen = new ArrayList<>(ids(page));
        while (page.getBoolean("has_more")) {
            page = api.json("/api/events?limit=2&" + filter + "&cursor=" + page.getString("next_cursor"));
            seen.addAll(ids(page));
        }

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(api.json("/api/events?risk_level=critical").getJsonArray("events"))
                .allSatisfy(e -> assertThat(((JsonObject) e).getString("risk_level")).isEqualTo("critical"));
    }

    @Test
    @DisplayName("limit/offset still page as before, with the original's deprecation warning and headers")
    void offsetPagingStillWorks() {
        seedEleven();
        List<Long> expected = idsNewestFirst("SELECT id FROM events ORDER BY started_at DESC, id DESC");

        Api.Response response = api.get("/api/events?limit=3&offset=3");
        JsonObject page = response.json();

        assertThat(ids(page)).containsExactlyElementsOf(expected.subList(3, 6));
        assertThat(page.getLong("count")).isEqualTo(11);
        assertThat(page.getInteger("offset")).isEqualTo(3);
        assertThat(page.getBoolean("has_more")).isTrue();
        assertThat(page.getString("deprecation_warning")).startsWith("Offset pagination is deprecated");
        assertThat(response.header("Deprecation")).isEqualTo("true");
        assertThat(api.get("/api/events?limit=3").header("Deprecation")).isNull();
    }

    @Test
    @DisplayName("Soft-deleted events are never listed")
    void deletedEventsAreHidden() {
        long kept = insertEvent("front_door", "2026-03-01T10:00:00Z", "low", "kept");
        long deleted = insertEvent("front_door", "2026-03-01T11:00:00Z", "low", "deleted");
        db.update("UPDATE events SET deleted_at = now() WHERE id = ?", deleted);

        JsonObject page = api.json("/api/events");

        assertThat(ids(page)).containsExactly(kept);
        assertThat(page.getLong("count")).isEqualTo(1);
    }

    @Test
    @DisplayName("A cursor that is not one, or a cursor with an offset, is a 400 with the reason")
    void badCursors() {
        Api.Response garbage = api.get("/api/events?cursor=not-a-cursor!");
        Api.Response both = api.get("/api/events?offset=5&cursor="
                + new PageCursor(3, OffsetDateTime.parse("2026-03-01T10:00:00Z").toInstant()).encode());
        Api.Response badLimit = api.get("/api/events?limit=0");

        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json().getString("detail")).startsWith("Invalid cursor: not base64url text");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().getString("detail")).isEqualTo(
                "Cannot use both 'offset' and 'cursor' pagination. Choose one.");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().getString("detail")).contains("limit must be between 1 and 1000");
    }

    /** Eleven events over ten months and two cameras; three share one started_at. */
    private static void seedEleven() {
        String[] times = {"2026-01-15T08:00:00Z", "2026-02-03T09:30:00Z", "2026-02-20T18:00:00Z",
            "2026-03-01T00:00:00Z", "2026-04-10T12:00:00Z", "2026-04-10T12:00:00Z", "2026-04-10T12:00:00Z",
            "2026-05-31T23:59:59.999999Z", "2026-06-01T00:00:00Z", "2026-09-09T09:09:09.5Z", "2026-10-30T07:00:00Z"};
        String[] levels = {"low", "medium", "high", "critical"};
        for (int i = 0; i < times.length; i++) {
            insertEvent(i % 3 == 0 ? "front_door" : "back_yard", times[i], levels[i % 4], "event " + i);
        }
    }

    private static long insertEvent(String camera, String startedAt, String level, String summary) {
        OffsetDateTime at = OffsetDateTime.parse(startedAt);
        return (Long) db.rows("INSERT INTO events (batch_id, camera_id, started_at, ended_at, risk_score, risk_level,"
                        + " summary, reasoning, object_types) VALUES (gen_random_uuid()::text, ?, ?, ?, 50, ?, ?,"
                        + " 'because', 'person') RETURNING id", camera, at, at.plusSeconds(30), level, summary)
                .get(0).get("id");
    }

    private static List<Long> idsNewestFirst(String sql) {
        return db.rows(sql).stream().map(row -> (Long) row.get("id")).toList();
    }

    private static List<Long> ids(JsonObject page) {
        JsonArray events = page.getJsonArray("events");
        return events.stream().map(e -> ((JsonObject) e).getLong("id")).toList();
    }

}
