package dev.hsi.analyze;

import dev.hsi.bus.AnalysisJob;
import dev.hsi.bus.SecurityEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reads a batch's detections and writes its event with the junction rows, in one statement; once per batch, however
 * often the batch is analysed. The baselines learn the batch in the same transaction, only when the event is new.
 */
final class EventRepository {

    private final Pool pool;
    private final BaselineRepository baselines;

    EventRepository(Pool pool, BaselineRepository baselines) {
        this.pool = pool;
        this.baselines = baselines;
    }

    /**
     * A batch's detections that still exist: {@code free} holds those that may go into this batch's event (with
     * the camera's name), {@code inOtherEvents} the ids of the events that already hold the others;
     * {@code eventWritten} tells that an earlier run of this batch's analysis wrote its event.
     */
    record BatchLookup(Optional<BatchDetections> free, SortedSet<Long> inOtherEvents, boolean eventWritten) {

        boolean nothingExists() {
            return free.isEmpty() && inOtherEvents.isEmpty();
        }
    }

    /** The event of a batch, and whether this call wrote it (false: it existed, from an earlier run). */
    record Written(SecurityEvent event, boolean created) {
    }

    Uni<BatchLookup> findBatchDetections(String batchId, List<Long> detectionIds) {
        return pool.preparedQuery(EventSql.SELECT_BATCH_DETECTIONS)
                .execute(Tuple.of(detectionIds.toArray(new Long[0]), batchId))
                .map(EventRepository::toLookup);
    }

    /** The batch's event as an earlier run of its analysis wrote it, if one did. */
    Uni<Optional<SecurityEvent>> findEvent(AnalysisJob job, List<DetectionFact> detections) {
        return pool.preparedQuery(EventSql.SELECT_BATCH_EVENT)
                .execute(Tuple.of(job.batchId(), utc(detections.get(0).detectedAt())))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(toEvent(rows.iterator().next(), job, detections)));
    }

    private static BatchLookup toLookup(RowSet<Row> rows) {
        List<DetectionFact> facts = new ArrayList<>();
        TreeSet<Long> otherEvents = new TreeSet<>();
        String cameraName = null;
        boolean eventWritten = false;
        for (Row row : rows) {
            eventWritten |= row.getBoolean("in_own_event");
            Long otherEvent = row.getLong("other_event_id");
            if (otherEvent != null) {
                otherEvents.add(otherEvent);
                continue;
            }
            cameraName = row.getString("camera_name");
            facts.add(new DetectionFact(row.getLong("id"), row.getOffsetDateTime("detected_at").toInstant(),
                    row.getString("object_type"), row.getDouble("confidence"), zones(row.getString("zones"))));
        }
        return new BatchLookup(facts.isEmpty() ? Optional.empty() : Optional.of(new BatchDetections(cameraName, facts)),
                otherEvents, eventWritten);
    }

    private static List<ZoneRef> zones(String json) {
        List<ZoneRef> zones = new ArrayList<>();
        for (Object item : new JsonArray(json)) {
            JsonObject zone = (JsonObject) item;
            zones.add(new ZoneRef(zone.getString("id"), zone.getString("name"), zone.getString("zone_type")));
        }
        return zones;
    }

    /**
     * Writes the batch's event with its links, and teaches the baselines the batch, in one transaction; or, when the
     * batch has an event already, returns that one unchanged (risk analysis is immutable) and teaches nothing.
     * {@code detections} must be ordered by detected_at: the first one's time is the event's start and part of its
     * key.
     *
     * <p>Two round trips, the statements of each sent together on one connection (the client pipelines them):
     * BEGIN, the lock on the hour's activity slot and the event's insert; then the baselines' two writes and COMMIT
     * (or only ROLLBACK when the event existed). Any failure rolls back before the connection goes back to the pool.
     */
    Uni<Written> insertEvent(AnalysisJob job, List<DetectionFact> detections, Judgement judgement) {
        Tuple params = eventParams(job, detections, judgement);
        return pool.withConnection(connection -> {
            Uni<Written> work = Uni.combine().all().unis(
                            connection.query("BEGIN").execute(),
                            baselines.lockSlot(connection, job.cameraId(), detections),
                            connection.preparedQuery(EventSql.INSERT_EVENT_WITH_DETECTIONS).execute(params))
                    .asTuple()
                    .onItem().transformToUni(begun -> {
                        RowSet<Row> rows = begun.getItem3();
                        if (rows.size() == 0) {
                            // another run of this batch is inserting its event right now: retried, this run then
                            // finds it
                            throw new IllegalStateException("the event of batch " + job.batchId()
                                    + " is being written by another run; not yet visible");
                        }
                        Row row = rows.iterator().next();
                        Written written = new Written(toEvent(row, job, detections), row.getBoolean("created"));
                        if (!written.created()) {
                            return connection.query("ROLLBACK").execute().replaceWith(written);
                        }
                        return Uni.combine().all().unis(
                                        baselines.learn(connection, job.cameraId(), begun.getItem2(), detections),
                                        connection.query("COMMIT").execute())
                                .asTuple().replaceWith(written);
                    });
            return work.onFailure().call(failure -> connection.query("ROLLBACK").execute()
                    .onFailure().recoverWithNull());
        });
    }

    private static Tuple eventParams(AnalysisJob job, List<DetectionFact> detections, Judgement judgement) {
        Instant startedAt = detections.get(0).detectedAt();
        Instant endedAt = detections.get(detections.size() - 1).detectedAt();
        RiskAssessment risk = judgement.risk();
        Long[] ids = detections.stream().map(DetectionFact::id).toArray(Long[]::new);
        OffsetDateTime[] detectedAt = detections.stream().map(d -> utc(d.detectedAt())).toArray(OffsetDateTime[]::new);
        return Tuple.tuple()
                .addString(job.batchId()).addString(job.cameraId())
                .addOffsetDateTime(utc(startedAt)).addOffsetDateTime(utc(endedAt))
                .addInteger(risk.score()).addString(risk.level()).addString(risk.summary()).addString(risk.reasoning())
                .addBoolean(job.fastPath()).addString(String.join(",", objectTypes(detections)))
                .addArrayOfLong(ids).addArrayOfOffsetDateTime(detectedAt)
                .addString(judgement.source())
                .addDouble(judgement.anomaly().score().orElse(null))
                .addString(judgement.llmPrompt().orElse(null));
    }

    private static SecurityEvent toEvent(Row row, AnalysisJob job, List<DetectionFact> detections) {
        TreeSet<String> zoneIds = new TreeSet<>();
        detections.forEach(d -> d.zones().forEach(zone -> zoneIds.add(zone.id())));
        double maxConfidence = detections.stream().mapToDouble(DetectionFact::confidence).max().orElse(0);
        return new SecurityEvent(row.getLong("id"), row.getString("batch_id"),
                row.getString("camera_id"), row.getInteger("risk_score"), row.getString("risk_level"),
                row.getString("summary"), row.getString("reasoning"),
                row.getOffsetDateTime("started_at").toInstant(), row.getOffsetDateTime("ended_at").toInstant(),
                row.getBoolean("is_fast_path"), job.closedAt(), row.getString("analysis_source"),
                Optional.ofNullable(row.getDouble("anomaly_score")), List.copyOf(objectTypes(detections)),
                List.copyOf(zoneIds), maxConfidence);
    }

    private static TreeSet<String> objectTypes(List<DetectionFact> detections) {
        TreeSet<String> objectTypes = new TreeSet<>();
        detections.forEach(d -> objectTypes.add(d.objectType()));
        return objectTypes;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
