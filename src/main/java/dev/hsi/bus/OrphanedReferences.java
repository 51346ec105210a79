package dev.hsi.bus;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many references into partitioned tables point at rows that no longer exist, per referencing column
 * ({@code entities.primary_detection_id}, {@code logs.event_id}, ...). Such columns carry no foreign key: see
 * decision record 0007.
 */
public record OrphanedReferences(Map<String, Long> byReference) {

    public OrphanedReferences {
        byReference = Collections.unmodifiableMap(new LinkedHashMap<>(byReference));
    }

    public long total() {
        return byReference.values().stream().mapToLong(Long::longValue).sum();
    }

    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        byReference.forEach(json::put);
        return json;
    }
}
