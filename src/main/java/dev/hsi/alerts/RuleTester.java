package dev.hsi.alerts;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/alerts/rules/{id}/test}: judges a rule against past events without writing anything, with the same
 * matcher the alert stage uses. Body {@code {event_ids?, test_time?, limit=50}}: the given events, or the latest
 * {@code limit}. The schedule is judged at {@code test_time} when given, else at each event's start, as the alert
 * stage judges it; cooldowns are not considered.
 */
public final class RuleTester {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;

    private final AlertRepository alerts;

    public RuleTester(AlertRepository alerts) {
        this.alerts = alerts;
    }

    /** The original's response: {@code {rule_id, rule_name, events_tested, events_matched, match_rate, results}}. */
    public Uni<JsonObject> test(AlertRule rule, JsonObject request) {
        List<Long> ids = eventIds(request.getValue("event_ids"));
        Instant testTime = testTime(request.getValue("test_time"));
        int limit = limit(request.getValue("limit"));
        return alerts.facts(ids, null, ids == null ? limit : Math.max(ids.size(), 1)).map(events -> {
            JsonArray results = new JsonArray();
            int matched = 0;
            for (EventFacts event : events) {
                RuleMatch match = RuleMatcher.match(rule.fields(), event,
                        testTime != null ? testTime : event.startedAt());
                matched += match.matches() ? 1 : 0;
                results.add(new JsonObject()
                        .put("event_id", event.id())
                        .put("camera_id", event.cameraId())
                        .put("risk_score", event.riskScore())
                        .put("object_types", new JsonArray(event.objectTypes()))
                        .put("matches", match.matches())
                        .put("matched_conditions", new JsonArray(match.matchedConditions()))
                        .put("started_at", event.startedAt().toString()));
            }
            return new JsonObject()
                    .put("rule_id", rule.id().toString())
                    .put("rule_name", rule.fields().name())
                    .put("events_tested", events.size())
                    .put("events_matched", matched)
                    .put("match_rate", events.isEmpty() ? 0.0 : (double) matched / events.size())
                    .put("results", results);
        });
    }

    private static List<Long> eventIds(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonArray array) || array.size() > MAX_LIMIT) {
            throw new InvalidRuleException("event_ids", "must be a list of at most " + MAX_LIMIT + " event ids");
        }
        List<Long> ids = new ArrayList<>(array.size());
        for (Object id : array) {
            if (!(id instanceof Integer || id instanceof Long) || ((Number) id).longValue() <= 0) {
                throw new InvalidRuleException("event_ids", "must hold positive integers only, got " + id);
            }
            ids.add(((Number) id).longValue());
        }
        return ids.isEmpty() ? null : ids;
    }

    private static Instant testTime(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(String.valueOf(value)).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRuleException("test_time", "must be an ISO-8601 date-time with an offset, such as"
                    + " 2026-01-10T02:30:00Z, got " + value);
        }
    }

    private static int limit(Object value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
                || ((Number) value).longValue() > MAX_LIMIT) {
            throw new InvalidRuleException("limit", "must be an integer from 1 to " + MAX_LIMIT + ", got " + value);
        }
        return ((Number) value).intValue();
    }
}
