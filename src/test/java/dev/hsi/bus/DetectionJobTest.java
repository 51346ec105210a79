package dev.hsi.bus;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetectionJobTest {

    private static final DetectionJob JOB = new DetectionJob(
            "front_door",
            "/data/foscam/Front Door/MDAlarm_20240501-120000.jpg",
            Instant.parse("2024-05-01T12:00:02.123456Z"),
            "image",
            Instant.parse("2024-05-01T12:00:01.250Z"),
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");

    @Test
    @DisplayName("A detection job survives a JSON round trip with every field intact")
    void roundTrip() {
        assertThat(DetectionJob.fromJson(JOB.toJson().encode())).isEqualTo(JOB);
    }

    @Test
    @DisplayName("The JSON uses the original system's field names")
    void originalFieldNames() {
        JsonObject json = JOB.toJson();

        assertThat(json.fieldNames()).containsExactlyInAnyOrder(
                "camera_id", "file_path", "timestamp", "media_type", "pipeline_start_time", "file_hash");
        assertThat(json.getString("timestamp")).isEqualTo("2024-05-01T12:00:02.123456Z");
        assertThat(json.getDouble("pipeline_start_time")).isEqualTo(1714564801.25);
    }

    @Test
    @DisplayName("A payload that is not JSON is an invalid message")
    void notJson() {
        assertThatThrownBy(() -> DetectionJob.fromJson("camera_id=front_door"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("not a JSON object");
    }

    @Test
    @DisplayName("A payload without camera_id is an invalid message naming camera_id")
    void missingCameraId() {
        JsonObject json = JOB.toJson();
        json.remove("camera_id");

        assertThatThrownBy(() -> DetectionJob.fromJson(json.encode()))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("camera_id");
    }

    @Test
    @DisplayName("A timestamp that is not an ISO-8601 instant is an invalid message naming timestamp")
    void badTimestamp() {
        String payload = JOB.toJson().put("timestamp", "yesterday").encode();

        assertThatThrownBy(() -> DetectionJob.fromJson(payload))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("timestamp")
                .hasMessageContaining("yesterday");
    }

    @Test
    @DisplayName("A pipeline_start_time that is not a number is refused at once, naming the field")
    void wrongFieldTypes() {
        String payload = JOB.toJson().put("pipeline_start_time", "1714564801.25").encode();
        assertThatThrownBy(() -> DetectionJob.fromJson(payload))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("pipeline_start_time");
    }
}
