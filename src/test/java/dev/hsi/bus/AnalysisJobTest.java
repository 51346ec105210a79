package dev.hsi.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnalysisJobTest {

    private static final AnalysisJob JOB = new AnalysisJob(
            "3f2b9c0e8d7a4b6c9e1f0a2b3c4d5e6f",
            "front_door",
            List.of(17L, 18L, 4_000_000_000L),
            Instant.parse("2024-05-01T12:01:30.5Z"),
            true);

    @Test
    @DisplayName("An analysis job survives a JSON round trip with every field intact")
    void roundTrip() {
        assertThat(AnalysisJob.fromJson(JOB.toJson().encode())).isEqualTo(JOB);
    }

    @Test
    @DisplayName("The JSON uses the original system's field names")
    void originalFieldNames() {
        JsonObject json = JOB.toJson();

        assertThat(json.fieldNames()).containsExactlyInAnyOrder(
                "batch_id", "camera_id", "detection_ids", "timestamp", "is_fast_path");
        assertThat(json.getJsonArray("detection_ids")).containsExactly(17L, 18L, 4_000_000_000L);
        assertThat(json.getBoolean("is_fast_path")).isTrue();
    }

    @Test
    @DisplayName("A payload that is not JSON is an invalid message")
    void notJson() {
        assertThatThrownBy(() -> AnalysisJob.fromJson("{batch_id:"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("not a JSON object");
    }

    @Test
    @DisplayName("A payload without camera_id is an invalid message naming camera_id")
    void missingCameraId() {
        JsonObject json = JOB.toJson();
        json.remove("camera_id");

        assertThatThrownBy(() -> AnalysisJob.fromJson(json.encode()))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("camera_id");
    }

    @Test
    @DisplayName("An empty detection_ids list is an invalid message naming detection_ids")
    void emptyDetectionIds() {
        String payload = JOB.toJson().put("detection_ids", new JsonArray()).encode();

        assertThatThrownBy(() -> AnalysisJob.fromJson(payload))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("detection_ids");
    }

    @Test
    @DisplayName("detection_ids holding strings is an invalid message naming detection_ids")
    void stringDetectionIds() {
        String payload = JOB.toJson().put("detection_ids", new JsonArray().add("17").add("18")).encode();

        assertThatThrownBy(() -> AnalysisJob.fromJson(payload))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("detection_ids");
    }

    @Test
    @DisplayName("A timestamp that is not an ISO-8601 instant is an invalid message naming timestamp")
    void badTimestamp() {
        String payload = JOB.toJson().put("timestamp", "2024-05-01 12:01").encode();

        assertThatThrownBy(() -> AnalysisJob.fromJson(payload))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("timestamp");
    }

    @Test
    @DisplayName("Fields of the wrong type are refused at once, naming the field, not retried as transient failures")
    void wrongFieldTypes() {
        assertThatThrownBy(() -> AnalysisJob.fromJson(JOB.toJson().put("detection_ids", "17").encode()))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("detection_ids");
        assertThatThrownBy(() -> AnalysisJob.fromJson(JOB.toJson().put("is_fast_path", "true").encode()))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("is_fast_path");
        assertThatThrownBy(() -> AnalysisJob.fromJson(
                        JOB.toJson().put("detection_ids", new JsonArray().add(1).addNull()).encode()))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("detection_ids");
        assertThatThrownBy(() -> AnalysisJob.fromJson(
                        JOB.toJson().put("detection_ids", new JsonArray().add(1.7)).encode()))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("detection_ids");
    }
}
