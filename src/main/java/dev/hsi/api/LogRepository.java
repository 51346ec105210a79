package dev.hsi.api;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads and writes the {@code logs} table for the logs API, in the original's shapes. */
final class LogRepository {

    private final Pool pool;

    LogRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * {@code {items, pagination: {total, limit, offset, cursor, next_cursor, has_more}}}, newest first. As in the
     * original, {@code total} is counted only without a cursor (0 with one) and {@code offset} is null unless used.
     */
    Uni<JsonObject> page(List<Object> filter, PageRequest paging, String cursorText) {
        PageCursor cursor = paging.cursor();
        return KeysetPages.fetch(pool, LogSql.SELECT_LOGS_PAGE, LogSql.COUNT_LOGS, filter, paging, "timestamp")
                .map(result -> {
                    PageRequest.Slice page = result.page();
                    return new JsonObject()
                            .put("items", new JsonArray(page.rows()))
                            .put("pagination", new JsonObject()
                                    .put("total", result.total())
                                    .put("limit", paging.limit())
                                    .put("offset", paging.offset() > 0 ? paging.offset() : null)
                                    .put("cursor", cursor == null ? null : cursorText)
                                    .put("next_cursor", page.nextCursor())
                                    .put("has_more", page.hasMore()));
                });
    }

    Uni<JsonObject> entry(long id) {
        return pool.preparedQuery(LogSql.SELECT_LOG).execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                throw ApiError.notFound("Log " + id + " not found");
            }
            return RowJson.object(rows.iterator().next());
        });
    }

    /** The original's dashboard figures for the UTC day that began at {@code todayStart}. */
    Uni<JsonObject> stats(OffsetDateTime todayStart) {
        return pool.preparedQuery(LogSql.COUNT_SINCE_BY_LEVEL_AND_COMPONENT).execute(Tuple.of(todayStart))
                .map(rows -> {
                    Map<String, Long> byLevel = new TreeMap<>();
                    Map<String, Long> byComponent = new TreeMap<>();
                    long total = 0;
                    for (Row row : rows) {
                        long entries = row.getLong("entries");
                        total += entries;
                        byLevel.merge(row.getString("level"), entries, Long::sum);
                        byComponent.merge(row.getString("component"), entries, Long::sum);
                    }
                    // most entries first, ties by name: the first is the top component
                    JsonObject components = new JsonObject();
                    byComponent.entrySet().stream()
                            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                            .forEach(e -> components.put(e.getKey(), e.getValue()));
                    String top = components.isEmpty() ? null : components.fieldNames().iterator().next();
                    return new JsonObject()
                            .put("total_today", total)
                            .put("errors_today", byLevel.getOrDefault("ERROR", 0L))
                            .put("warnings_today", byLevel.getOrDefault("WARNING", 0L))
                            .put("by_component", components)
                            .put("by_level", new JsonObject(new TreeMap<String, Object>(byLevel)))
                            .put("top_component", top);
                });
    }

    Uni<Void> insertFrontend(FrontendLog log) {
        return pool.preparedQuery(LogSql.INSERT_FRONTEND_LOG)
                .execute(Tuple.of(log.level(), log.component(), log.message(), log.extra(), log.userAgent()))
                .replaceWithVoid();
    }
}
