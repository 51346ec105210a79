package dev.hsi.alerts;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads events for the rules, writes alerts once per event, records deliveries and users' status changes. */
public final class AlertRepository {

    /** An event's full key. */
    public record EventKey(long id, Instant startedAt) {
    }

    /** The alert a winning rule asks for: its rule, dedup key and cooldown, and the metadata to store. */
    record Candidate(AlertRule rule, String dedupKey, JsonObject metadata) {
    }

    /** A page of alerts and how many match the filter in all. */
    public record Page(List<Alert> alerts, long total) {
    }

    private final Pool pool;

    public AlertRepository(Pool pool) {
        this.pool = pool;
    }

    /** The events with these ids (started_at optional, for partition pruning), newest first; at most {@code limit}. */
    Uni<List<EventFacts>> facts(List<Long> ids, List<Instant> startedAts, int limit) {
        Long[] idArray = ids == null ? null : ids.toArray(Long[]::new);
        OffsetDateTime[] times = startedAts == null ? null
                : startedAts.stream().map(t -> t.atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new);
        return pool.preparedQuery(AlertSql.SELECT_EVENT_FACTS)
                .execute(Tuple.tuple().addValue(idArray).addValue(times).addInteger(limit))
                .map(AlertRepository::facts);
    }

    Uni<Optional<EventFacts>> facts(EventKey key) {
        return facts(List.of(key.id()), List.of(key.startedAt()), 1)
                .map(found -> found.isEmpty() ? Optional.empty() : Optional.of(found.get(0)));
    }

    /** Events not yet evaluated, started within {@code maxAge}, written at least {@code minAge} ago; oldest first. */
    Uni<List<EventKey>> unevaluated(Duration maxAge, Duration minAge, int limit) {
        return pool.preparedQuery(AlertSql.SELECT_UNEVALUATED_EVENTS)
                .execute(Tuple.of((double) maxAge.toSeconds(), minAge.toMillis() / 1000.0, limit))
                .map(rows -> {
                    List<EventKey> keys = new ArrayList<>(rows.size());
                    rows.forEach(row -> keys.add(new EventKey(row.getLong("id"),
                            row.getOffsetDateTime("started_at").toInstant())));
                    return keys;
                });
    }

    /**
     * Marks the event evaluated and, with a candidate, writes its alert, in one statement: the alert is written once
     * however often the event is evaluated, and not at all while another alert with its dedup key is cooling down.
     * Callers evaluate one event at a time. Empty when no alert was written (no candidate, evaluated before, or
     * suppressed).
     */
    Uni<Optional<Alert>> evaluate(EventFacts event, Candidate candidate) {
        OffsetDateTime startedAt = event.startedAt().atOffset(ZoneOffset.UTC);
        if (candidate == null) {
            return pool.preparedQuery(AlertSql.MARK_EVALUATED).execute(Tuple.of(event.id(), startedAt))
                    .map(marked -> Optional.empty());
        }
        RuleFields rule = candidate.rule().fields();
        Tuple alert = Tuple.tuple().addValue(UUID.randomUUID()).addLong(event.id()).addOffsetDateTime(startedAt)
                .addValue(candidate.rule().id()).addString(rule.severity().json())
                .addValue(new JsonArray(rule.channels())).addString(candidate.dedupKey())
                .addValue(candidate.metadata()).addDouble((double) rule.cooldownSeconds());
        return pool.preparedQuery(AlertSql.MARK_EVALUATED_WITH_ALERT).execute(alert)
                .map(rows -> first(rows, event.cameraId()));
    }

    /** Alerts created within {@code maxAge} whose delivery did not finish; oldest first. */
    Uni<List<Alert>> pendingDeliveries(Duration maxAge) {
        return pool.preparedQuery(AlertSql.SELECT_PENDING_DELIVERIES).execute(Tuple.of((double) maxAge.toSeconds()))
                .map(AlertRepository::all);
    }

    /** Merges the outcomes (by channel) into the alert's metadata; delivered once every channel is. */
    Uni<Alert> recordDelivery(UUID alertId, JsonObject outcomes, boolean everyChannelDelivered) {
        return pool.preparedQuery(AlertSql.RECORD_DELIVERY).execute(Tuple.of(alertId, outcomes, everyChannelDelivered))
                .map(rows -> first(rows, null).orElseThrow(() ->
                        new IllegalStateException("alert " + alertId + " vanished while its delivery was recorded")));
    }

    public Uni<Optional<Alert>> find(UUID id) {
        return pool.preparedQuery(AlertSql.SELECT_ALERT).execute(Tuple.of(id)).map(rows -> first(rows, null));
    }

    public Uni<Page> page(String status, String severity, int limit, int offset) {
        Uni<List<Alert>> alerts = pool.preparedQuery(AlertSql.SELECT_ALERTS_PAGE)
                .execute(Tuple.of(status, severity, limit, offset)).map(AlertRepository::all);
        Uni<Long> total = pool.preparedQuery(AlertSql.COUNT_ALERTS).execute(Tuple.of(status, severity))
                .map(rows -> rows.iterator().next().getLong("total"));
        return Uni.combine().all().unis(alerts, total).asTuple().map(t -> new Page(t.getItem1(), t.getItem2()));
    }

    /** Moves the alert to {@code status} if it is in one of {@code from}; empty when it is not (or does not exist). */
    public Uni<Optional<Alert>> changeStatus(UUID id, String status, List<String> from) {
        return pool.preparedQuery(AlertSql.CHANGE_STATUS)
                .execute(Tuple.of(id, status, from.toArray(String[]::new)))
                .map(rows -> first(rows, null));
    }

    private static List<EventFacts> facts(RowSet<Row> rows) {
        List<EventFacts> events = new ArrayList<>(rows.size());
        for (Row row : rows) {
            List<EventFacts.Detection> detections = new ArrayList<>();
            Object raw = row.getValue("detections");
            JsonArray array = raw instanceof JsonArray json ? json : new JsonArray(String.valueOf(raw));
            for (int i = 0; i < array.size(); i++) {
                JsonObject d = array.getJsonObject(i);
                List<String> zones = new ArrayList<>();
                d.getJsonArray("zone_ids", new JsonArray()).forEach(zone -> zones.add(String.valueOf(zone)));
                detections.add(new EventFacts.Detection(d.getString("object_type"), d.getDouble("confidence"), zones));
            }
            OffsetDateTime ended = row.getOffsetDateTime("ended_at");
            events.add(new EventFacts(row.getLong("id"), row.getOffsetDateTime("started_at").toInstant(),
                    ended == null ? null : ended.toInstant(), row.getString("camera_id"), row.getString("camera_name"),
                    row.getInteger("risk_score"), row.getString("risk_level"), row.getString("summary"),
                    row.getBoolean("alerts_evaluated"), detections));
        }
        return events;
    }

    private static List<Alert> all(RowSet<Row> rows) {
        List<Alert> alerts = new ArrayList<>(rows.size());
        rows.forEach(row -> alerts.add(fromRow(row, null)));
        return alerts;
    }

    private static Optional<Alert> first(RowSet<Row> rows, String cameraId) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(fromRow(rows.iterator().next(), cameraId));
    }

    /** @param cameraId the camera, when the row does not carry it (an insert's RETURNING) */
    private static Alert fromRow(Row row, String cameraId) {
        OffsetDateTime delivered = row.getOffsetDateTime("delivered_at");
        List<String> channels = new ArrayList<>();
        if (row.getValue("channels") instanceof JsonArray array) {
            array.forEach(channel -> channels.add(String.valueOf(channel)));
        }
        String camera = row.getString("camera_id");
        return new Alert(row.getUUID("id"), row.getLong("event_id"),
                row.getOffsetDateTime("event_started_at").toInstant(), camera != null ? camera : cameraId,
                row.getUUID("rule_id"), row.getString("severity"), row.getString("status"),
                row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant(),
                delivered == null ? null : delivered.toInstant(), channels, row.getString("dedup_key"),
                row.getValue("metadata") instanceof JsonObject metadata ? metadata : null,
                row.getInteger("version_id"));
    }
}
