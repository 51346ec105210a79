package dev.hsi.api;

import dev.hsi.entity.Entity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The JSON body of {@code POST /api/entities} and {@code PATCH /api/entities/{id}}, checked field by field: a bad
 * value is a 400 naming the field and what it must be. Whether the primary detection exists is checked by the
 * repository, where it can be checked atomically with the write.
 */
final class EntityBody {

    static final List<String> FIELDS = List.of("entity_type", "trust_status", "embedding_vector", "first_seen_at",
            "last_seen_at", "detection_count", "entity_metadata", "primary_detection_id");

    private final JsonObject body;

    private EntityBody(JsonObject body) {
        for (String field : body.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw ApiError.badRequest("unknown field '" + field + "'; the fields are " + String.join(", ", FIELDS));
            }
        }
        this.body = body;
    }

    static EntityBody of(JsonObject body) {
        if (body == null) {
            throw ApiError.badRequest("the request body must be a JSON object");
        }
        return new EntityBody(body);
    }

    /** A new entity: defaults as the table's (person, unknown, seen now, no detections). */
    Entity toNewEntity(Instant now) {
        Instant firstSeen = instant("first_seen_at", now);
        Entity entity = new Entity(UUID.randomUUID(), oneOf("entity_type", Entity.ENTITY_TYPES, "person"),
                oneOf("trust_status", Entity.TRUST_STATUSES, "unknown"), embedding(null), firstSeen,
                instant("last_seen_at", firstSeen), count(0), metadata(null), detectionId(null));
        return checkedTimes(entity);
    }

    /** The change a PATCH asks for: the fields present replace the stored ones (null clears the nullable ones). */
    UnaryOperator<Entity> toChange() {
        // parsed now, so that a bad body fails before the database is touched
        Entity parsed = new Entity(UUID.randomUUID(), oneOf("entity_type", Entity.ENTITY_TYPES, "person"),
                oneOf("trust_status", Entity.TRUST_STATUSES, "unknown"), embedding(null), instant("first_seen_at",
                Instant.EPOCH), instant("last_seen_at", Instant.EPOCH), count(0), metadata(null), detectionId(null));
        return stored -> checkedTimes(new Entity(stored.id(),
                body.containsKey("entity_type") ? parsed.entityType() : stored.entityType(),
                body.containsKey("trust_status") ? parsed.trustStatus() : stored.trustStatus(),
                body.containsKey("embedding_vector") ? parsed.embeddingVector() : stored.embeddingVector(),
                body.containsKey("first_seen_at") ? parsed.firstSeenAt() : stored.firstSeenAt(),
                body.containsKey("last_seen_at") ? parsed.lastSeenAt() : stored.lastSeenAt(),
                body.containsKey("detection_count") ? parsed.detectionCount() : stored.detectionCount(),
                body.containsKey("entity_metadata") ? parsed.entityMetadata() : stored.entityMetadata(),
                body.containsKey("primary_detection_id") ? parsed.primaryDetectionId() : stored.primaryDetectionId()));
    }

    private static Entity checkedTimes(Entity entity) {
        if (entity.lastSeenAt().isBefore(entity.firstSeenAt())) {
            throw ApiError.badRequest("last_seen_at must not be before first_seen_at");
        }
        return entity;
    }

    private String oneOf(String field, List<String> allowed, String absent) {
        Object value = body.getValue(field);
        if (value == null) {
            if (body.containsKey(field)) {
                throw ApiError.badRequest(field + " must be one of " + allowed + ", got null");
            }
            return absent;
        }
        if (!(value instanceof String text) || !allowed.contains(text)) {
            throw ApiError.badRequest(field + " must be one of " + allowed + ", got " + quoted(value));
        }
        return text;
    }

    private JsonArray embedding(JsonArray absent) {
        Object value = body.getValue("embedding_vector");
        if (value == null) {
            return absent;
        }
        if (!(value instanceof JsonArray array) || !array.stream().allMatch(n -> n instanceof Number)) {
            throw ApiError.badRequest("embedding_vector must be an array of numbers or null");
        }
        return array;
    }

    private JsonObject metadata(JsonObject absent) {
        Object value = body.getValue("entity_metadata");
        if (value == null) {
            return absent;
        }
        if (!(value instanceof JsonObject object)) {
            throw ApiError.badRequest("entity_metadata must be a JSON object or null, got " + quoted(value));
        }
        return object;
    }

    private Instant instant(String field, Instant absent) {
        Object value = body.getValue(field);
        if (value == null) {
            if (body.containsKey(field)) {
                throw ApiError.badRequest(field + " must be an ISO-8601 date-time with an offset, got null");
            }
            return absent;
        }
        try {
            return OffsetDateTime.parse(value.toString()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(field + " must be an ISO-8601 date-time with an offset (2026-11-22T08:30:00Z),"
                    + " got " + quoted(value));
        }
    }

    private int count(int absent) {
        Object value = body.getValue("detection_count");
        if (value == null && !body.containsKey("detection_count")) {
            return absent;
        }
        if (!(value instanceof Integer number) || number < 0) {
            throw ApiError.badRequest("detection_count must be an integer of 0 or more, got " + quoted(value));
        }
        return number;
    }

    private Long detectionId(Long absent) {
        Object value = body.getValue("primary_detection_id");
        if (value == null) {
            return absent;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() <= 0) {
            throw ApiError.badRequest("primary_detection_id must be a positive integer or null, got " + quoted(value));
        }
        return ((Number) value).longValue();
    }

    private static String quoted(Object value) {
        return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
    }
}
