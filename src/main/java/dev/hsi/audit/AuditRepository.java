package dev.hsi.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Writes and reads {@code audit_logs}, in the original's shapes. */
public final class AuditRepository {

    static final int RECENT_ACTORS = 10;

    private final Pool pool;

    public AuditRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> record(AuditEntry entry) {
        return pool.preparedQuery(AuditSql.INSERT).execute(Tuple.tuple(Arrays.asList(entry.action(),
                        entry.resourceType(), entry.resourceId(), entry.actor(), entry.ipAddress(), entry.userAgent(),
                        entry.details(), entry.status())))
                .replaceWithVoid();
    }

    /** A page of entries, newest first, and the number matching the filter. */
    public Uni<Page> page(Filter filter, int limit, int offset) {
        List<Object> params = filter.params();
        Uni<List<JsonObject>> rows = pool.preparedQuery(AuditSql.SELECT_PAGE).execute(Tuple.tuple(with(params, limit,
                offset))).map(found -> {
                    List<JsonObject> entries = new ArrayList<>(found.size());
                    found.forEach(row -> entries.add(json(row)));
                    return entries;
                });
        Uni<Long> total = pool.preparedQuery(AuditSql.COUNT).execute(Tuple.tuple(params))
                .map(found -> found.iterator().next().getLong("total"));
        return Uni.combine().all().unis(rows, total).asTuple().map(both -> new Page(both.getItem1(), both.getItem2()));
    }

    public Uni<Optional<JsonObject>> entry(long id) {
        return pool.preparedQuery(AuditSql.SELECT_ONE).execute(Tuple.of(id)).map(rows -> rows.size() == 0
                ? Optional.empty() : Optional.of(json(rows.iterator().next())));
    }

    /**
     * {@code {total_logs, logs_today, by_action, by_resource_type, by_status, recent_actors}}, counted from
     * {@code todayStart} for the day's figure.
     */
    public Uni<JsonObject> stats(OffsetDateTime todayStart) {
        Uni<JsonObject> counts = pool.preparedQuery(AuditSql.COUNT_BY_ACTION_RESOURCE_AND_STATUS)
                .execute(Tuple.of(todayStart)).map(rows -> {
                    Map<String, Long> byAction = new TreeMap<>();
                    Map<String, Long> byResource = new TreeMap<>();
                    Map<String, Long> byStatus = new TreeMap<>();
                    long total = 0;
                    long today = 0;
                    for (Row row : rows) {
                        long entries = row.getLong("entries");
                        total += entries;
                        today += row.getLong("today");
                        byAction.merge(row.getString("action"), entries, Long::sum);
                        byResource.merge(row.getString("resource_type"), entries, Long::sum);
                        byStatus.merge(row.getString("status"), entries, Long::sum);
                    }
                    return new JsonObject()
                            .put("total_logs", total)
                            .put("logs_today", today)
                            .put("by_action", new JsonObject(new TreeMap<String, Object>(byAction)))
                            .put("by_resource_type", new JsonObject(new TreeMap<String, Object>(byResource)))
                            .put("by_status", new JsonObject(new TreeMap<String, Object>(byStatus)));
                });
        Uni<JsonArray> actors = pool.preparedQuery(AuditSql.RECENT_ACTORS).execute(Tuple.of(RECENT_ACTORS))
                .map(rows -> {
                    JsonArray names = new JsonArray();
                    rows.forEach(row -> names.add(row.getString("actor")));
                    return names;
                });
        return Uni.combine().all().unis(counts, actors).asTuple()
                .map(both -> both.getItem1().put("recent_actors", both.getItem2()));
    }

    private static JsonObject json(Row row) {
        return new JsonObject()
                .put("id", row.getLong("id"))
                .put("timestamp", row.getOffsetDateTime("timestamp").toInstant().toString())
                .put("action", row.getString("action"))
                .put("resource_type", row.getString("resource_type"))
                .put("resource_id", row.getString("resource_id"))
                .put("actor", row.getString("actor"))
                .put("ip_address", row.getString("ip_address"))
                .put("user_agent", row.getString("user_agent"))
                .put("details", row.getValue("details"))
                .put("status", row.getString("status"));
    }

    private static List<Object> with(List<Object> params, Object... more) {
        List<Object> all = new ArrayList<>(params);
        all.addAll(Arrays.asList(more));
        return all;
    }

    /** Each value null for any. */
    public record Filter(String action, String resourceType, String resourceId, String actor, String status,
            OffsetDateTime start, OffsetDateTime end) {

        List<Object> params() {
            return Arrays.asList(action, resourceType, resourceId, actor, status, start, end);
        }
    }

    public record Page(List<JsonObject> entries, long total) {
    }
}
