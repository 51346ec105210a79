package dev.hsi.api;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Arrays;
import java.util.Set;

/**
 * The original's review action, {@code PATCH /api/events/{id}} with {@code {reviewed?, notes?}}: at least one of them;
 * {@code notes: null} clears the notes. Audited as {@code event_reviewed}, or {@code event_dismissed} when it sets
 * {@code reviewed} to false.
 */
record EventReview(Boolean reviewed, boolean notesGiven, String notes) {

    static final int MAX_NOTES = 10_000;
    private static final Set<String> FIELDS = Set.of("reviewed", "notes");

    static EventReview of(JsonObject body) {
        for (String field : body.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw ApiError.badRequest(field + ": unknown field; an event review takes reviewed and notes");
            }
        }
        if (body.isEmpty()) {
            throw ApiError.badRequest("body: give reviewed (true or false), notes, or both");
        }
        Object reviewed = body.getValue("reviewed");
        if (reviewed != null && !(reviewed instanceof Boolean)) {
            throw ApiError.badRequest("reviewed: must be true or false, got " + reviewed);
        }
        Object notes = body.getValue("notes");
        if (notes != null && !(notes instanceof String)) {
            throw ApiError.badRequest("notes: must be a string or null");
        }
        if (notes != null && ((String) notes).length() > MAX_NOTES) {
            throw ApiError.badRequest("notes: at most " + MAX_NOTES + " characters, got " + ((String) notes).length());
        }
        return new EventReview((Boolean) reviewed, body.containsKey("notes"), (String) notes);
    }

    String auditAction() {
        return Boolean.FALSE.equals(reviewed) ? "event_dismissed" : "event_reviewed";
    }

    JsonObject auditDetails() {
        JsonObject details = new JsonObject();
        if (reviewed != null) {
            details.put("reviewed", reviewed);
        }
        if (notesGiven) {
            details.put("notes_changed", true);
        }
        return details;
    }

    /** Whether the event existed (and was changed). */
    Uni<Boolean> applyTo(Pool pool, long id) {
        return pool.preparedQuery(ApiSql.REVIEW_EVENT)
                .execute(Tuple.tuple(Arrays.asList(id, reviewed, notesGiven, notes)))
                .map(rows -> rows.size() > 0);
    }
}
