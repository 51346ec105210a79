package dev.hsi.analyze;

import dev.hsi.bus.AnalysisJob;
import dev.hsi.bus.SecurityEvent;
import io.smallrye.mutiny.Uni;
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
 * often the batch is analysed.
 */
final class EventRepository {

    private final Pool pool;

    EventRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * A batch's detections that still exist: {@code free} holds those that may go into this batch's event (with
     * the camera's name), {@code inOtherEvents} the ids of the events that already hold the others.
     */
    record BatchLookup(Optional<BatchDetections> free, SortedSet<Long> inOtherEvents) {

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

    private static BatchLookup toLookup(RowSet<Row> rows) {
        List<DetectionFact> facts = new ArrayList<>();
        TreeSet<Long> otherEvents = new TreeSet<>();
        String cameraName = null;
        for (Row row : rows) {
            Long otherEvent = row.getLong("other_event_id");
            if (otherEvent != null) {
                otherEvents.add(otherEvent);
                continue;
            }
            cameraName = row.getString("camera_name");
            facts.add(new DetectionFact(row.getLong("id"), row.getOffsetDateTime("detected_at").toInstant(),
                    row.getString("object_type"), row.getDouble("confidence")));
        }
        return new BatchLookup(facts.isEmpty() ? Optional.empty() : Optional.of(new BatchDetections(cameraName, facts)),
                otherEvents);
    }

    /**
     * Writes the batch's event with its links, or, when the batch has one already, returns that one unchanged
     * (risk analysis is immutable). {@code detections} must be ordered by detected_at: the first one's time is the
     * event's start and part of its key.
     */
    Uni<Written> insertEvent(AnalysisJob job, List<DetectionFact> detections, RiskAssessment risk) {
        Instant startedAt = detections.get(0).detectedAt();
        Instant endedAt = detections.get(detections.size() - 1).detectedAt();
        TreeSet<String> objectTypes = new TreeSet<>();
        detections.forEach(d -> objectTypes.add(d.objectType()));
        Tuple event = Tuple.tuple()
                .addString(job.batchId()).addString(job.cameraId())
                .addOffsetDateTime(utc(startedAt)).addOffsetDateTime(utc(endedAt))
                .addInteger(risk.score()).addString(risk.level()).addString(risk.summary()).addString(risk.reasoning())
                .addBoolean(job.fastPath()).addString(String.join(",", objectTypes));
        Long[] ids = detections.stream().map(DetectionFact::id).toArray(Long[]::new);
        OffsetDateTime[] detectedAt = detections.stream().map(d -> utc(d.detectedAt())).toArray(OffsetDateTime[]::new);
        Tuple params = event.addArrayOfLong(ids).addArrayOfOffsetDateTime(detectedAt);
        return pool.preparedQuery(EventSql.INSERT_EVENT_WITH_DETECTIONS).execute(params).map(rows -> {
            if (rows.size() == 0) {
                // another run of this batch is inserting its event right now: retried, this run then finds it
                throw new IllegalStateException("the event of batch " + job.batchId()
                        + " is being written by another run; not yet visible");
            }
            Row row = rows.iterator().next();
            return new Written(new SecurityEvent(row.getLong("id"), row.getString("batch_id"),
                    row.getString("camera_id"), row.getInteger("risk_score"), row.getString("risk_level"),
                    row.getString("summary"), row.getString("reasoning"),
                    row.getOffsetDateTime("started_at").toInstant(), row.getOffsetDateTime("ended_at").toInstant(),
                    row.getBoolean("is_fast_path"), job.closedAt()), row.getBoolean("created"));
        });
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
