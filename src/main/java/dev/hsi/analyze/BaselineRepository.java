package dev.hsi.analyze;

import dev.hsi.config.BaselineConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a camera's baselines to judge a batch, and teaches them the batch once its event is written (in the
 * event's transaction, so a batch analysed twice is learnt once). Reads and writes are shaped for few round trips:
 * the whole camera's baselines are read while the batch's detections are looked up, the hour's activity slot is
 * locked in the same pipelined round trip as the event's insert, and both writes go with the COMMIT.
 */
final class BaselineRepository {

    /** A camera's baselines as they stood before the batch: every activity slot and every hour's class rows. */
    record CameraBaselines(List<ActivitySlot> slots, List<BaselineScorer.ClassRow> classRows) {
    }

    private final Pool pool;
    private final BaselineConfig config;
    private final BaselineScorer scorer;
    private final ZoneId zone;

    BaselineRepository(Pool pool, BaselineConfig config, ZoneId zone) {
        this.pool = pool;
        this.config = config;
        this.zone = zone;
        this.scorer = new BaselineScorer(config, zone);
    }

    /** The camera's baselines, read side by side on two connections (one round trip). */
    Uni<CameraBaselines> read(String cameraId) {
        Uni<List<ActivitySlot>> slots = pool.preparedQuery(BaselineSql.SELECT_ACTIVITY_SLOTS)
                .execute(Tuple.of(cameraId)).map(rows -> {
                    List<ActivitySlot> list = new ArrayList<>();
                    rows.forEach(row -> list.add(slot(row)));
                    return list;
                });
        Uni<List<BaselineScorer.ClassRow>> classRows = pool.preparedQuery(BaselineSql.SELECT_CLASS_ROWS)
                .execute(Tuple.of(cameraId)).map(rows -> {
                    List<BaselineScorer.ClassRow> list = new ArrayList<>();
                    rows.forEach(row -> list.add(new BaselineScorer.ClassRow(row.getInteger("hour"),
                            row.getString("detection_class"), row.getDouble("frequency"),
                            row.getInteger("sample_count"), row.getOffsetDateTime("last_updated").toInstant())));
                    return list;
                });
        return Uni.combine().all().unis(slots, classRows).asTuple()
                .map(both -> new CameraBaselines(both.getItem1(), both.getItem2()));
    }

    /** How unusual the batch is against the baselines read before it. */
    Anomaly judge(CameraBaselines baselines, List<DetectionFact> detections) {
        Set<String> classes = new TreeSet<>();
        detections.forEach(d -> classes.add(d.objectType()));
        return scorer.score(detections.get(0).detectedAt(), detections.size(), classes, baselines.slots(),
                baselines.classRows());
    }

    /**
     * Locks the activity slot of the batch's hour for the rest of the transaction on {@code connection}; empty when
     * the slot has no row yet. Sent without waiting, so that it shares a round trip with the statements around it.
     */
    Uni<Optional<ActivitySlot>> lockSlot(SqlConnection connection, String cameraId, List<DetectionFact> detections) {
        Instant start = detections.get(0).detectedAt();
        return connection.preparedQuery(BaselineSql.LOCK_ACTIVITY_SLOT)
                .execute(Tuple.of(cameraId, scorer.dayOfWeek(start), scorer.hourOfDay(start)))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(slot(rows.iterator().next())));
    }

    /**
     * Adds the batch to its hour's activity slot ({@code locked}, as {@link #lockSlot} read it) and to its hour's
     * class frequencies: two statements sent together on {@code connection}, in its open transaction.
     */
    Uni<Void> learn(SqlConnection connection, String cameraId, Optional<ActivitySlot> locked,
            List<DetectionFact> detections) {
        Instant start = detections.get(0).detectedAt();
        Instant hourStart = scorer.hourStart(start);
        int hour = scorer.hourOfDay(start);
        ActivitySlot current = locked.orElseGet(() -> ActivitySlot.empty(scorer.dayOfWeek(start), hour));
        ActivitySlot next = current.withActivity(hourStart, detections.size(), zone, config);
        Map<String, Integer> counts = new TreeMap<>();
        detections.forEach(d -> counts.merge(d.objectType(), 1, Integer::sum));
        Tuple classes = Tuple.tuple().addString(cameraId).addInteger(hour).addOffsetDateTime(utc(start))
                .addArrayOfString(counts.keySet().toArray(new String[0]))
                .addArrayOfInteger(counts.values().toArray(new Integer[0]))
                .addDouble(config.decayFactor()).addInteger(config.windowDays());
        return Uni.combine().all().unis(write(connection, cameraId, next),
                        connection.preparedQuery(BaselineSql.ADD_CLASS_COUNTS).execute(classes))
                .discardItems();
    }
    private static Uni<Void> write(SqlClient client, String cameraId, ActivitySlot slot) {
        Tuple params = Tuple.tuple().addString(cameraId).addInteger(slot.dayOfWeek()).addInteger(slot.hour())
                .addDouble(slot.mean()).addDouble(slot.variance()).addInteger(slot.samples())
                .addOffsetDateTime(utc(slot.currentHour())).addInteger(slot.currentCount());
        return client.preparedQuery(BaselineSql.UPSERT_ACTIVITY_SLOT).execute(params).replaceWithVoid();
    }

    private static ActivitySlot slot(Row row) {
        OffsetDateTime current = row.getOffsetDateTime("current_hour");
        return new ActivitySlot(row.getInteger("day_of_week"), row.getInteger("hour"), row.getDouble("avg_count"),
                row.getDouble("variance"), row.getInteger("sample_count"),
                current == null ? null : current.toInstant(), row.getInteger("current_count"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
