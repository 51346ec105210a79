package dev.hsi.entity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A person or object seen again across cameras (seed 002, {@code entities}). {@code primaryDetectionId} points into
 * the partitioned {@code detections} table without a foreign key: {@link EntityRepository} checks it before every
 * write. The embedding and metadata are JSON kept as given; both may be null.
 */
public record Entity(
        UUID id,
        String entityType,
        String trustStatus,
        JsonArray embeddingVector,
        Instant firstSeenAt,
        Instant lastSeenAt,
        int detectionCount,
        JsonObject entityMetadata,
        Long primaryDetectionId) {

    public static final List<String> ENTITY_TYPES = List.of("person", "vehicle", "animal", "package", "other");
    public static final List<String> TRUST_STATUSES = List.of("trusted", "untrusted", "unknown");

    public Entity {
        embeddingVector = embeddingVector == null ? null : embeddingVector.copy();
        entityMetadata = entityMetadata == null ? null : entityMetadata.copy();
    }

    /** The JSON of the API: the table's column names; {@code thumbnail_url} shows the primary detection. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("id", id.toString())
                .put("entity_type", entityType)
                .put("trust_status", trustStatus)
                .put("embedding_vector", embeddingVector)
                .put("first_seen_at", firstSeenAt.toString())
                .put("last_seen_at", lastSeenAt.toString())
                .put("detection_count", detectionCount)
                .put("entity_metadata", entityMetadata)
                .put("primary_detection_id", primaryDetectionId)
                .put("thumbnail_url", primaryDetectionId == null ? null
                        : "/api/detections/" + primaryDetectionId + "/image");
    }
}
