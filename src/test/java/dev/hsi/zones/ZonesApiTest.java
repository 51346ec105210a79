package dev.hsi.zones;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.support.AlertStage;
import dev.hsi.support.Api;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The zone API under /api/cameras/{id}/zones, served by the real API verticle on real PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZonesApiTest {

    private static final String ZONES = "/api/cameras/back_door/zones";

    @TempDir
    static Path dir;
    private AlertStage stage;
    private Api api;

    @BeforeAll
    void start() {
        stage = new AlertStage(dir, Map.of());
        api = stage.api();
    }

    @AfterAll
    void stop() {
        if (stage != null) {
            stage.close();
        }
    }

    @BeforeEach
    void freshCamera() {
        stage.clear();
        stage.camera("back_door", "Back Door");
    }

    @Test
    @DisplayName("Create, list (with ?enabled=), get, partially update and delete a camera's zones")
    void crud() {
        JsonObject step = created(api.post(ZONES, new JsonObject().put("name", "Back door step")
                .put("zone_type", "entry_point").put("priority", 10)
                .put("coordinates", new JsonArray("[[0.3,0.5],[0.7,0.5],[0.7,1.0],[0.3,1.0]]"))));
        assertThat(step.getString("id")).matches("[0-9a-f-]{36}");
        assertThat(step.getString("camera_id")).isEqualTo("back_door");
        assertThat(step.getString("shape")).as("4 axis-aligned corners").isEqualTo("rectangle");
        assertThat(step.getString("color")).isEqualTo("#3B82F6");
        assertThat(step.getBoolean("enabled")).isTrue();
        assertThat(step.getString("created_at")).isNotNull();

        JsonObject lawn = created(api.post(ZONES, new JsonObject().put("name", "Lawn").put("enabled", false)
                .put("color", "#22c55e").put("coordinates", new JsonArray("[[0.0,0.0],[0.3,0.6]]"))));
        assertThat(lawn.getJsonArray("coordinates")).as("two corners stored as the rectangle's four")
                .isEqualTo(new JsonArray("[[0.0,0.0],[0.3,0.0],[0.3,0.6],[0.0,0.6]]"));
        assertThat(lawn.getString("shape")).isEqualTo("rectangle");
        assertThat(lawn.getString("zone_type")).isEqualTo("other");
        assertThat(lawn.getString("color")).isEqualTo("#22C55E");

        JsonObject path = created(api.post(ZONES, new JsonObject().put("name", "Path").put("zone_type", "walkway")
                .put("coordinates", new JsonArray("[[0.1,0.9],[0.5,0.4],[0.9,0.9],[0.5,0.7]]"))));
        assertThat(path.getString("shape")).as("a concave outline").isEqualTo("polygon");

        JsonObject all = ok(api.get(ZONES));
        assertThat(all.getInteger("count")).isEqualTo(3);
        assertThat(all.getJsonArray("zones").getJsonObject(0).getString("name")).as("highest priority first")
                .isEqualTo("Back door step");
        assertThat(ok(api.get(ZONES + "?enabled=false")).getJsonArray("zones").stream()
                .map(z -> ((JsonObject) z).getString("name")).toList()).containsExactly("Lawn");
        assertThat(ok(api.get(ZONES + "?enabled=true")).getInteger("count")).isEqualTo(2);

        String stepUrl = ZONES + "/" + step.getString("id");
        assertThat(ok(api.get(stepUrl))).isEqualTo(step);
        JsonObject renamed = ok(api.put(stepUrl, new JsonObject().put("name", "Porch").put("enabled", false)));
        assertThat(renamed.getString("name")).isEqualTo("Porch");
        assertThat(renamed.getBoolean("enabled")).isFalse();
        assertThat(renamed.getJsonArray("coordinates")).as("unchanged").isEqualTo(step.getJsonArray("coordinates"));
        assertThat(renamed.getString("zone_type")).isEqualTo("entry_point");
        JsonObject reshaped = ok(api.put(stepUrl, new JsonObject()
                .put("coordinates", new JsonArray("[[0.2,0.2],[0.8,0.2],[0.5,0.9]]"))));
        assertThat(reshaped.getString("shape")).isEqualTo("polygon");
        assertThat(reshaped.getString("name")).isEqualTo("Porch");

        assertThat(api.delete(stepUrl).status()).isEqualTo(204);
        assertError(api.get(stepUrl), 404, "Zone '" + step.getString("id") + "' not found for camera 'back_door'");
        assertError(api.delete(stepUrl), 404, "not found");
        assertError(api.get("/api/cameras/nowhere/zones"), 404, "Camera 'nowhere' not found");
        assertError(api.post("/api/cameras/nowhere/zones", new JsonObject().put("name", "x")
                .put("coordinates", new JsonArray("[[0,0],[1,1]]"))), 404, "Camera 'nowhere' not found");
    }

    @Test
    @DisplayName("Bad coordinates and fields are refused with 400 and the reason")
    void badZonesAreRefused() {
        assertError(zone("[[0.1,0.1],[0.9,0.9],[0.9,0.1],[0.1,0.9]]"), "coordinates: the edge from point 1 to"
                + " point 2 meets the edge from point 3 to point 4: the outline intersects itself");
        assertError(zone("[[0.1,0.1],[1.5,0.1],[0.5,0.9]]"), "coordinates: point 2 [1.5, 0.1] is outside the"
                + " image: x and y must be between 0 and 1");
        assertError(zone("[[0.1,0.1],[0.5,-0.2],[0.5,0.9]]"), "point 2 [0.5, -0.2] is outside the image");
        assertError(zone("[[0.1,0.1]]"), "coordinates: a polygon needs at least 3 points, got 1");
        assertError(zone("[]"), "coordinates: a polygon needs at least 3 points, got 0");
        assertError(zone("[[0.1,0.1],[0.5,0.5],[0.9,0.9]]"), "coordinates: the points lie on one line");
        assertError(zone("[[0.1,0.1],[0.5,0.1],[0.5,0.5],[0.1,0.1]]"), "coordinates: points 1 and 4 are the same");
        assertError(zone("[[0.1,0.1],[\"a\",0.1],[0.5,0.9]]"), "coordinates: point 2 must be a pair of numbers");
        assertError(zone("[[0.2,0.2],[0.2,0.8]]"), "coordinates: the two corners of a rectangle must differ in x"
                + " and in y");
        assertError(zone("[[0.2,0.2],[1.2,0.8]]"), "coordinates: corner 2 [1.2, 0.8] is outside the image");
        assertError(api.post(ZONES, body("[[0.1,0.2],[0.6,0.2],[0.7,0.7],[0.1,0.7]]").put("shape", "rectangle")),
                "coordinates: a rectangle is 2 opposite corners, or its 4 corners in order around it");
        assertError(api.post(ZONES, body("[[0.1,0.2],[0.6,0.7]]").put("shape", "polygon")),
                "coordinates: a polygon needs at least 3 points, got 2");
        assertError(api.post(ZONES, body("[[0,0],[1,1]]").put("shape", "circle")),
                "shape: must be one of [polygon, rectangle], got 'circle'");
        assertError(api.post(ZONES, body("[[0,0],[1,1]]").put("coordinates", "0,0,1,1")),
                "coordinates: must be an array of [x, y] points");
        assertError(api.post(ZONES, body("[[0,0],[1,1]]").put("zone_type", "garage")),
                "zone_type: must be one of [driveway, entry_point, exit_point, monitored, other, perimeter,"
                        + " restricted, sidewalk, walkway, yard], got 'garage'");
        assertError(api.post(ZONES, body("[[0,0],[1,1]]").put("color", "blue")),
                "color: must be a hex colour #RRGGBB, got blue");
        assertError(api.post(ZONES, body("[[0,0],[1,1]]").put("priority", 101)),
                "priority: must be an integer from 0 to 100, got 101");
        assertError(api.post(ZONES, new JsonObject().put("coordinates", new JsonArray("[[0,0],[1,1]]"))),
                "name: is required");
        assertError(api.post(ZONES, new JsonObject().put("name", "x")), "coordinates: is required");
        assertError(api.send("POST", ZONES, "[1,2]"), "body: not a JSON object");

        String id = created(api.post(ZONES, body("[[0,0],[1,1]]"))).getString("id");
        assertError(api.put(ZONES + "/" + id, new JsonObject().put("shape", "rectangle")
                .put("coordinates", new JsonArray("[[0.1,0.1],[0.9,0.1],[0.5,0.9]]"))), "coordinates: a rectangle");
        assertError(api.put(ZONES + "/" + id, new JsonObject().put("enabled", "yes")),
                "enabled: must be true or false, got yes");
        assertThat(ok(api.get(ZONES)).getInteger("count")).as("nothing bad was stored").isEqualTo(1);
    }

    private Api.Response zone(String coordinates) {
        return api.post(ZONES, body(coordinates));
    }

    private static JsonObject body(String coordinates) {
        return new JsonObject().put("name", "Zone").put("coordinates", new JsonArray(coordinates));
    }

    private static JsonObject created(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    private static JsonObject ok(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static void assertError(Api.Response response, String detail) {
        assertError(response, 400, detail);
    }

    private static void assertError(Api.Response response, int status, String detail) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().getString("detail")).contains(detail);
    }
}
