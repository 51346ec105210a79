package dev.hsi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.support.Api;
import dev.hsi.support.ApiStack;
import dev.hsi.support.Db;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /api/events/search against real events in a real PostgreSQL: every element of the original's query syntax,
 * every filter, the relevance order, the database keeping search_vector right, and the refusals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventSearchTest {

    @TempDir
    static Path dataDir;
    ApiStack stack;
    Api api;
    Db db;
    long loitering;
    long delivery;
    long cat;
    long dogWalk;
    long truck;

    @BeforeAll
    void start() {
        stack = ApiStack.start(dataDir);
        api = stack.api();
        db = stack.db();
        db.rows("SELECT hsi_create_monthly_partitions('events', 13, '2026-01-01')");
        db.update("INSERT INTO cameras (id, name, folder_path) VALUES ('front_door', 'Front Door', '/f'),"
                + " ('back_yard', 'Back Yard', '/b'), ('driveway', 'Driveway', '/d')");
        loitering = insert("front_door", "2026-03-10T22:00:00Z", "high", false, "person",
                "Suspicious person loitering near the front door at night",
                "Someone lingered for two minutes in the dark");
        delivery = insert("back_yard", "2026-04-05T14:00:00Z", "medium", true, "car,person",
                "Delivery van parked briefly", "A vehicle stopped and a person carried a package");
        cat = insert("driveway", "2026-04-20T06:30:00Z", "low", false, "cat",
                "Cat walking across the driveway", "Animal only");
        dogWalk = insert("back_yard", "2026-05-02T18:00:00Z", "low", false, "dog,person",
                "Person and dog in the yard", "Family members walking the dog");
        truck = insert("driveway", "2026-05-15T03:00:00Z", "critical", false, "truck",
                "Unknown truck idling", "Engine running for ten minutes at night");
        long deleted = insert("front_door", "2026-05-20T03:00:00Z", "high", false, "person",
                "Suspicious person seen again", "Deleted by the user");
        db.update("UPDATE events SET deleted_at = now() WHERE id = ?", deleted);
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @Test
    @DisplayName("Words are all required: 'person dog' finds only the event with both")
    void implicitAnd() {
        assertThat(found("person dog")).containsExactly(dogWalk);
        assertThat(found("person AND dog")).containsExactly(dogWalk);
    }

    @Test
    @DisplayName("A quoted phrase needs its words adjacent and in order")
    void phrase() {
        assertThat(found("\"suspicious person\"")).containsExactly(loitering);
        assertThat(found("\"person suspicious\"")).isEmpty();
        assertThat(found("suspicious loitering")).containsExactly(loitering);
        assertThat(found("\"suspicious loitering\"")).isEmpty();
    }

    @Test
    @DisplayName("OR finds either word; NOT leaves out events with the word; operators in any case")
    void orAndNot() {
        assertThat(found("cat OR truck")).containsExactlyInAnyOrder(cat, truck);
        assertThat(found("cat or truck")).containsExactlyInAnyOrder(cat, truck);
        assertThat(found("person NOT dog")).containsExactlyInAnyOrder(loitering, delivery);
        assertThat(found("night NOT \"front door\"")).containsExactly(truck);
    }

    @Test
    @DisplayName("Words match by their English stem, and the camera's name and object types are searched too")
    void stemsCameraNamesAndObjectTypes() {
        assertThat(found("walks")).containsExactlyInAnyOrder(cat, dogWalk);
        assertThat(found("driveway")).containsExactlyInAnyOrder(cat, truck);
        assertThat(found("\"back yard\"")).containsExactlyInAnyOrder(delivery, dogWalk);
        assertThat(found("car")).containsExactly(delivery);
    }

    @Test
    @DisplayName("Results come most relevant first: a word in the summary outranks the same word elsewhere")
    void relevanceOrder() {
        JsonObject response = api.json("/api/events/search?q=person");
        JsonArray results = response.getJsonArray("results");

        assertThat(ids(results)).containsExactlyInAnyOrder(loitering, delivery, dogWalk);
        assertThat(ids(results).indexOf(delivery)).as("person only in reasoning and object types ranks last")
                .isEqualTo(2);
        List<Double> scores = results.stream().map(r -> ((JsonObject) r).getDouble("relevance_score")).toList();
        assertThat(scores).allSatisfy(score -> assertThat(score).isPositive()).isSortedAccordingTo(
                (a, b) -> Double.compare(b, a));
    }

    @Test
    @DisplayName("The response has the original's shape: results with camera_name, object_types and relevance_score")
    void responseShape() {
        JsonObject response = api.json("/api/events/search?q=person&limit=1&offset=1");

        assertThat(response.getLong("total_count")).isEqualTo(3);
        assertThat(response.getInteger("limit")).isEqualTo(1);
        assertThat(response.getInteger("offset")).isEqualTo(1);
        JsonObject result = response.getJsonArray("results").getJsonObject(0);
        assertThat(result.fieldNames()).contains("id", "camera_id", "camera_name", "started_at", "ended_at",
                "risk_score", "risk_level", "summary", "reasoning", "reviewed", "detection_count", "detection_ids",
                "object_types", "relevance_score");
        JsonObject first = api.json("/api/events/search?q=loitering").getJsonArray("results").getJsonObject(0);
        assertThat(first.getString("camera_name")).isEqualTo("Front Door");
        assertThat(first.getString("object_types")).isEqualTo("person");
        assertThat(first.getString("started_at")).isEqualTo("2026-03-10T22:00:00Z");
    }

    @Test
    @DisplayName("Filters take comma lists: camera_id, severity (or its alias risk_level), object_type; and reviewed and dates")
    void filters() {
        assertThat(found("person", "camera_id=back_yard,driveway")).containsExactlyInAnyOrder(delivery, dogWalk);
        assertThat(found("night", "severity=high,critical")).containsExactlyInAnyOrder(loitering, truck);
        assertThat(found("night", "risk_level=critical")).containsExactly(truck);
        assertThat(found("night", "severity=high&risk_level=critical")).as("severity wins").containsExactly(loitering);
        assertThat(found("person OR cat", "object_type=dog,cat")).containsExactlyInAnyOrder(cat, dogWalk);
        assertThat(found("person", "reviewed=true")).containsExactly(delivery);
        assertThat(found("person", "start_date=2026-04-01&end_date=2026-04-30T23:59:59Z")).containsExactly(delivery);
    }

    @Test
    @DisplayName("The database keeps search_vector right: edited summaries and renamed cameras are found by their new words")
    void vectorFollowsEditsAndRenames() {
        long event = insert("front_door", "2026-06-01T10:00:00Z", "low", false, "bicycle", "Bicycle left outside",
                "Nobody around");
        assertThat(found("bicycle")).containsExactly(event);

        db.update("UPDATE events SET summary = 'Scooter left outside', object_types = 'scooter' WHERE id = ?", event);
        assertThat(found("bicycle")).isEmpty();
        assertThat(found("scooter")).containsExactly(event);

        db.update("UPDATE cameras SET name = 'Porch' WHERE id = 'front_door'");
        try {
            assertThat(found("porch")).containsExactlyInAnyOrder(loitering, event);
            assertThat(found("\"front door\"")).as("the summary still says front door").containsExactly(loitering);
        } finally {
            db.update("UPDATE cameras SET name = 'Front Door' WHERE id = 'front_door'");
            db.update("DELETE FROM events WHERE id = ?", event);
        }
    }

    @Test
    @DisplayName("Quotes, backslashes and tsquery operators typed into q are searched as text, never a server error")
    void hostileQueries() {
        for (String q : List.of("o'brien", "back\\slash", "a&b|!c:* (x)", "'); DROP TABLE events; --",
                "person:*", "\"it's\" OR \\'")) {
            Api.Response response = api.get("/api/events/search?q=" + encode(q));
            assertThat(response.status()).as(q).isEqualTo(200);
        }
        assertThat(found("the")).as("stop words alone match nothing").isEmpty();
        assertThat(db.count("SELECT count(*) FROM events")).isEqualTo(6);
    }

    @Test
    @DisplayName("Bad input is a 400 naming the parameter and the reason")
    void badInput() {
        assertBadRequest("/api/events/search", "q is required");
        assertBadRequest("/api/events/search?q=%20%20", "q is required");
        assertBadRequest("/api/events/search?q=" + "x".repeat(501), "q must be at most 500 characters");
        assertBadRequest("/api/events/search?q=" + encode("\"open phrase"), "unclosed double quote");
        assertBadRequest("/api/events/search?q=" + encode("OR NOT !!"), "at least one word");
        assertBadRequest("/api/events/search?q=person&severity=high,urgent",
                "severity has invalid value(s) urgent; valid values are critical, high, low, medium");
        assertBadRequest("/api/events/search?q=person&risk_level=bad", "risk_level has invalid value(s) bad");
        assertBadRequest("/api/events/search?q=person&reviewed=maybe", "reviewed must be true or false");
        assertBadRequest("/api/events/search?q=person&start_date=yesterday", "start_date must be an ISO-8601");
        assertBadRequest("/api/events/search?q=person&start_date=2026-05-01&end_date=2026-04-01",
                "start_date must not be after end_date");
        assertBadRequest("/api/events/search?q=person&limit=1001", "limit must be between 1 and 1000");
        assertBadRequest("/api/events/search?q=person&offset=-1", "offset must be between 0");
    }

    private void assertBadRequest(String path, String reason) {
        Api.Response response = api.get(path);
        assertThat(response.status()).as(path).isEqualTo(400);
        assertThat(response.json().getString("detail")).as(path).contains(reason);
    }

    private List<Long> found(String q, String... filters) {
        String path = "/api/events/search?q=" + encode(q) + (filters.length == 0 ? "" : "&" + String.join("&", filters));
        JsonObject response = api.json(path);
        List<Long> ids = ids(response.getJsonArray("results"));
        assertThat(response.getLong("total_count")).as(path).isEqualTo(ids.size());
        return ids;
    }

    private static List<Long> ids(JsonArray results) {
        return results.stream().map(r -> ((JsonObject) r).getLong("id")).toList();
    }

    private static String encode(String q) {
        return URLEncoder.encode(q, StandardCharsets.UTF_8);
    }

    private long insert(String camera, String startedAt, String level, boolean reviewed, String objectTypes,
            String summary, String reasoning) {
        OffsetDateTime at = OffsetDateTime.parse(startedAt);
        return (Long) db.rows("INSERT INTO events (batch_id, camera_id, started_at, ended_at, risk_score, risk_level,"
                        + " reviewed, object_types, summary, reasoning) VALUES (gen_random_uuid()::text, ?, ?, ?, 50,"
                        + " ?, ?, ?, ?, ?) RETURNING id", camera, at, at.plusSeconds(60), level, reviewed, objectTypes,
                summary, reasoning).get(0).get("id");
    }
}
