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
import java.util.TreeSet;

/** Reads a batch's detections and writes its event with the junction rows, in one statement. */
final class EventRepository {

    private final Pool pool;

    EventRepository(Pool pool) {
        this.pool = pool;
    }

    Uni<Optional<BatchDetections>> findBatchDetections(List<Long> detectionIds) {
        return pool.preparedQuery(EventSql.SELECT_BATCH_DETECTIONS)
                .execute(Tuple.of(detectionIds.toArray(new Long[0])))
                .map(EventRepository::toBatch);
    }

    private static Optional<BatchDetections> toBatch(RowSet<Row> rows) {
        List<DetectionFact> facts = new ArrayList<>();
        String cameraName = null;
        for (Row row : rows) {
            cameraName = row.getString("camera_name");
            facts.add(new DetectionFact(row.getLong("id"), row.getOffsetDateTime("detected_at").toInstant(),
                    row.getString("object_type"), row.getDouble("confidence")));
        }
        return facts.isEmpty() ? Optional.empty() : Optional.of(new BatchDetections(cameraName, facts));
    }

    Uni<SecurityEvent> insertEvent(AnalysisJob job, List<DetectionFact> detections, RiskAssessment risk) {
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
        return pool.preparedQuery(EventSql.INSERT_EVENT_WITH_DETECTIONS).execute(params)
                .map(rows -> new SecurityEvent(rows.iterator().next().getLong("id"), job.batchId(), job.cameraId(),
                        risk.score(), risk.level(), risk.summary(), risk.reasoning(), startedAt, endedAt,
                        job.fastPath(), job.closedAt()));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
