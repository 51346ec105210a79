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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a camera's baselines to judge a batch, and teaches them the batch once its event is written (in the
 * event's transaction, so a batch analysed twice is learnt once).
 */
final class BaselineRepository {

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

    Uni<Anomaly> judge(String cameraId, List<DetectionFact> detections) {
        Instant start = detections.get(0).detectedAt();
        Set<String> classes = new TreeSet<>();
        detections.forEach(d -> classes.add(d.objectType()));
        Uni<List<ActivitySlot>> slots = pool.preparedQuery(BaselineSql.SELECT_ACTIVITY_SLOTS)
                .execute(Tuple.of(cameraId)).map(rows -> {
                    List<ActivitySlot> list = new ArrayList<>();
                    rows.forEach(row -> list.add(slot(row)));
                    return list;
                });
        Uni<List<BaselineScorer.ClassRow>> classRows = pool.preparedQuery(BaselineSql.SELECT_CLASS_HOUR)
                .execute(Tuple.of(cameraId, scorer.hourOfDay(start))).map(rows -> {
                    List<BaselineScorer.ClassRow> list = new ArrayList<>();
                    rows.forEach(row -> list.add(new BaselineScorer.ClassRow(row.getString("detection_class"),
                            row.getDouble("frequency"), row.getInteger("sample_count"),
                            row.getOffsetDateTime("last_updated").toInstant())));
                    return list;
                });
        return Uni.combine().all().unis(slots, classRows).asTuple()
                .map(both -> scorer.score(start, detections.size(), classes, both.getItem1(), both.getItem2()));
    }

    /** Adds the batch to its hour's activity slot and to its hour's class frequencies. */
    Uni<Void> learn(SqlConnection connection, String cameraId, List<DetectionFact> detections) {
        Instant start = detections.get(0).detectedAt();
        Instant hourStart = scorer.hourStart(start);
        int day = scorer.dayOfWeek(start);
        int hour = scorer.hourOfDay(start);
        Map<String, Integer> counts = new TreeMap<>();
        detections.forEach(d -> counts.merge(d.objectType(), 1, Integer::sum));
        Uni<Void> activity = connection.preparedQuery(BaselineSql.LOCK_ACTIVITY_SLOT)
                .execute(Tuple.of(cameraId, day, hour))
                .onItem().transformToUni(rows -> {
                    ActivitySlot current = rows.size() == 0 ? ActivitySlot.empty(day, hour) : slot(rows.iterator().next());
                    ActivitySlot next = current.withActivity(hourStart, detections.size(), zone, config);
                    return write(connection, cameraId, next);
                });
        Tuple classes = Tuple.tuple().addString(cameraId).addInteger(hour).addOffsetDateTime(utc(start))
                .addArrayOfString(counts.keySet().toArray(new String[0]))
                .addArrayOfInteger(counts.values().toArray(new Integer[0]))
                .addDouble(config.decayFactor()).addInteger(config.windowDays());
        return activity.onItem().transformToUni(ignored ->
                connection.preparedQuery(BaselineSql.ADD_CLASS_COUNTS).execute(classes).replaceWithVoid());
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
