package dev.hsi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.app.HsiServer;
import dev.hsi.notify.WebhookNotifier;
import dev.hsi.support.Api;
import dev.hsi.support.Db;
import dev.hsi.support.Eventually;
import dev.hsi.support.Ftp;
import dev.hsi.support.Images;
import dev.hsi.support.TestEnv;
import dev.hsi.support.WebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole server: zones made over the API reach the detect stage, detections uploaded over FTP record the zones
 * their bottom-centre stands in, and an event in a rule's zone becomes an alert delivered to a signed webhook.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZonesAndAlertsEndToEndTest {

    private static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(60);
    private static final String SECRET = "e2e-secret";

    @TempDir
    static Path dataDir;
    private WebhookReceiver webhook;
    private HsiServer server;
    private Api api;
    private Ftp ftp;
    private Db db;
    private byte[] person;
    private int padding;

    @BeforeAll
    void startServer() throws IOException {
        webhook = new WebhookReceiver();
        Map<String, String> env = TestEnv.pipeline(dataDir);
        env.put("WEBHOOK_URL", webhook.url("/alerts"));
        env.put("WEBHOOK_SECRET", SECRET);
        server = HsiServer.start(TestEnv.config(env));
        api = new Api(server.apiPort());
        ftp = new Ftp(server.ftpPort(), "cam", "secret");
        db = new Db(server.database());
        person = Files.readAllBytes(Images.PERSON);
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    @Test
    @DisplayName("A detection records the enabled zones its bottom-centre stands in: a rectangle and an L, not a U around it or a disabled zone")
    void detectionsRecordTheirZones() throws IOException {
        Map<String, Object> first = uploadPerson("Back Door", "first.jpg");
        double[] foot = bottomCentre(first);

        String step = zone("back_door", "Step", square(foot, 0.05), true);
        String ell = zone("back_door", "L-shaped patio", ell(foot), true);
        String notch = zone("back_door", "U around the step", u(foot), true);
        String disabled = zone("back_door", "Switched off", square(foot, 0.1), false);
        String away = zone("back_door", "Far corner", "[[0.0,0.0],[0.1,0.0],[0.1,0.1],[0.0,0.1]]", true);

        Map<String, Object> second = Eventually.await(PIPELINE_TIMEOUT, "the zones in the detect stage's index", () -> {
            Map<String, Object> detection = uploadPerson("Back Door", "again-" + padding + ".jpg");
            List<String> zones = zoneIds(detection);
            return zones.contains(step) ? detection : null;
        });
        assertThat(zoneIds(second)).containsExactlyInAnyOrder(step, ell)
                .doesNotContain(notch, disabled, away);
        assertThat(zoneIds(first)).as("zones apply from their creation on").isEmpty();

        assertThat(api.put("/api/cameras/back_door/zones/" + ell, new JsonObject().put("enabled", false)).status())
                .isEqualTo(200);
        assertThat(api.delete("/api/cameras/back_door/zones/" + step).status()).isEqualTo(204);
        Map<String, Object> third = Eventually.await(PIPELINE_TIMEOUT, "the zone changes in the index", () -> {
            Map<String, Object> detection = uploadPerson("Back Door", "third-" + padding + ".jpg");
            return zoneIds(detection).isEmpty() ? detection : null;
        });
        assertThat(zoneIds(third)).isEmpty();
    }

    @Test
    @DisplayName("Upload over FTP -> event -> alert for the zone rule -> signed webhook -> alert delivered")
    void uploadBecomesADeliveredAlert() throws Exception {
        Map<String, Object> first = uploadPerson("Garage", "first.jpg");
        String driveway = zone("garage", "Driveway", square(bottomCentre(first), 0.08), true);
        JsonObject rule = api.post("/api/alerts/rules", new JsonObject()
                .put("name", "Person on the driveway")
                .put("severity", "high")
                .put("object_types", new JsonArray().add("person"))
                .put("zone_ids", new JsonArray().add(driveway))
                .put("cooldown_seconds", 0)
                .put("channels", new JsonArray().add("webhook"))).json();
        String ruleId = rule.getString("id");

        JsonObject alert = Eventually.await(PIPELINE_TIMEOUT, "an alert of the driveway rule", () -> {
            uploadPerson("Garage", "visitor-" + padding + ".jpg");
            return api.json("/api/alerts?limit=100").getJsonArray("items").stream().map(JsonObject.class::cast)
                    .filter(a -> ruleId.equals(a.getString("rule_id"))).findFirst().orElse(null);
        });
        WebhookReceiver.Request request = Eventually.await(PIPELINE_TIMEOUT, "the webhook call of the alert", () ->
                webhook.drain().stream().filter(r -> alert.getString("id").equals(r.header("X-HSI-Delivery")))
                        .findFirst().orElse(null));
        long timestamp = Long.parseLong(request.header(WebhookNotifier.TIMESTAMP_HEADER));
        assertThat(request.header(WebhookNotifier.SIGNATURE_HEADER))
                .isEqualTo(WebhookNotifier.signature(SECRET, timestamp, request.body()));
        JsonObject payload = new JsonObject(request.body());
        assertThat(payload.getJsonObject("event").getLong("id")).isEqualTo(alert.getLong("event_id"));
        assertThat(payload.getJsonObject("event").getString("camera_id")).isEqualTo("garage");
        assertThat(payload.getJsonObject("event").getJsonArray("zone_ids").getList()).contains(driveway);
        assertThat(payload.getJsonObject("alert").getString("rule_name")).isEqualTo("Person on the driveway");

        JsonObject delivered = Eventually.await(PIPELINE_TIMEOUT, "the alert marked delivered", () -> {
            JsonObject current = api.json("/api/alerts?status=delivered&limit=100").getJsonArray("items").stream()
                    .map(JsonObject.class::cast).filter(a -> a.getString("id").equals(alert.getString("id")))
                    .findFirst().orElse(null);
            return current;
        });
        assertThat(delivered.getString("delivered_at")).isNotNull();
        assertThat(db.count("SELECT count(*) FROM events WHERE id = ? AND alerts_evaluated",
                alert.getLong("event_id"))).isEqualTo(1);
    }

    /** Uploads the person photo (padded, so each upload is new content) and returns its person detection. */
    private Map<String, Object> uploadPerson(String folder, String name) {
        padding++;
        try {
            ftp.uploadBytes(Arrays.copyOf(person, person.length + padding), folder, name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String file = dataDir.resolve("foscam").resolve(folder).resolve(name).toString();
        return Eventually.await(PIPELINE_TIMEOUT, "the person in " + name, () -> {
            List<Map<String, Object>> rows = db.rows("SELECT id, bbox_x, bbox_y, bbox_width, bbox_height,"
                    + " array_to_string(zone_ids, ',') AS zones FROM detections WHERE file_path = ?"
                    + " AND object_type = 'person'", file);
            return rows.isEmpty() ? null : rows.get(0);
        });
    }

    private static List<String> zoneIds(Map<String, Object> detection) {
        String zones = (String) detection.get("zones");
        return zones == null || zones.isEmpty() ? List.of() : List.of(zones.split(","));
    }

    /** The detection's bottom-centre in normalised image coordinates. */
    private static double[] bottomCentre(Map<String, Object> detection) throws IOException {
        BufferedImage image = ImageIO.read(Images.PERSON.toFile());
        double x = ((Integer) detection.get("bbox_x") + (Integer) detection.get("bbox_width") / 2.0) / image.getWidth();
        double y = (double) ((Integer) detection.get("bbox_y") + (Integer) detection.get("bbox_height"))
                / image.getHeight();
        return new double[] {x, y};
    }

    private String zone(String camera, String name, String coordinates, boolean enabled) {
        Api.Response created = api.post("/api/cameras/" + camera + "/zones", new JsonObject().put("name", name)
                .put("coordinates", new JsonArray(coordinates)).put("enabled", enabled));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().getString("id");
    }

    private static String square(double[] p, double half) {
        return points(p[0] - half, p[1] - half, p[0] + half, p[1] - half, p[0] + half, p[1] + half,
                p[0] - half, p[1] + half);
    }

    /** An L whose foot holds the point: concave, and the point lies in it. */
    private static String ell(double[] p) {
        double x = p[0];
        double y = p[1];
        return points(x - 0.2, y - 0.2, x - 0.1, y - 0.2, x - 0.1, y - 0.02, x + 0.1, y - 0.02, x + 0.1, y + 0.02,
                x - 0.2, y + 0.02);
    }

    /**
     * An upside-down U whose notch holds the point: surrounded on three sides, but outside. It opens downwards, so it
     * stays a proper outline when the point lies on the image's bottom edge.
     */
    private static String u(double[] p) {
        double x = p[0];
        double y = p[1];
        double bottom = Math.min(1, y + 0.05);
        return points(x - 0.2, y - 0.2, x + 0.2, y - 0.2, x + 0.2, bottom, x + 0.05, bottom, x + 0.05, y - 0.02,
                x - 0.05, y - 0.02, x - 0.05, bottom, x - 0.2, bottom);
    }

    /** Clamped into the image, as a user drawing near the edge would. */
    private static String points(double... xy) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < xy.length; i += 2) {
            json.append(i == 0 ? "" : ",").append('[').append(clamp(xy[i])).append(',').append(clamp(xy[i + 1]))
                    .append(']');
        }
        return json.append(']').toString();
    }

    private static double clamp(double value) {
        return Math.round(Math.max(0, Math.min(1, value)) * 10_000) / 10_000.0;
    }
}
