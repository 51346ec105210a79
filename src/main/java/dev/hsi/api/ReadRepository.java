package dev.hsi.api;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Runs the API's read queries and shapes their results as the original's JSON. */
final class ReadRepository {

    private final Pool pool;

    ReadRepository(Pool pool) {
        this.pool = pool;
    }

    Uni<JsonObject> cameras() {
        return pool.query(ApiSql.SELECT_CAMERAS).execute().map(rows -> {
            List<JsonObject> cameras = RowJson.objects(rows);
            return new JsonObject().put("cameras", new JsonArray(List.copyOf(cameras))).put("count", cameras.size());
        });
    }

    Uni<JsonObject> camera(String id) {
        return single(ApiSql.SELECT_CAMERA, Tuple.of(id), "Camera '" + id + "' not found");
    }

    Uni<JsonObject> detectionsPage(List<Object> filter, int limit, int offset) {
        return page(ApiSql.SELECT_DETECTIONS_PAGE, ApiSql.COUNT_DETECTIONS, filter, limit, offset, "detections");
    }

    Uni<JsonObject> detection(long id) {
        return single(ApiSql.SELECT_DETECTION, Tuple.of(id), "Detection " + id + " not found");
    }

    Uni<JsonObject> detectionSource(long id) {
        return single(ApiSql.SELECT_DETECTION_SOURCE, Tuple.of(id), "Detection " + id + " not found");
    }

    /**
     * One page of events, newest first, in the original's shape: {@code events, count, limit, offset, next_cursor,
     * has_more, deprecation_warning}. As in the original, {@code count} (all matching events) is only computed
     * for a request without a cursor, and is 0 with one: later pages need no second count.
     */
    Uni<JsonObject> eventsPage(List<Object> filter, PageRequest paging) {
        return KeysetPages.fetch(pool, ApiSql.SELECT_EVENTS_PAGE, ApiSql.COUNT_EVENTS, filter, paging, "started_at")
                .map(result -> {
                    PageRequest.Slice page = result.page();
                    page.rows().forEach(ReadRepository::withDetectionCount);
                    return new JsonObject()
                            .put("events", new JsonArray(page.rows()))
                            .put("count", result.total())
                            .put("limit", paging.limit())
                            .put("offset", paging.offset())
                            .put("next_cursor", page.nextCursor())
                            .put("has_more", page.hasMore())
                            .put("deprecation_warning", paging.deprecationWarning());
                });
    }

    Uni<JsonObject> event(long id) {
        return single(ApiSql.SELECT_EVENT, Tuple.of(id), "Event " + id + " not found")
                .onItem().transformToUni(event -> eventDetections(id).map(detections -> withDetectionCount(event)
                        .put("detections", detections)
                        .put("thumbnail_url", detections.isEmpty() ? null
                                : "/api/detections/" + detections.getJsonObject(0).getLong("id") + "/image")));
    }

    Uni<JsonArray> eventDetections(long eventId) {
        return pool.preparedQuery(ApiSql.SELECT_EVENT_DETECTIONS).execute(Tuple.of(eventId))
                .map(rows -> new JsonArray(List.copyOf(RowJson.objects(rows))));
    }

    Uni<Boolean> eventExists(long id) {
        return pool.preparedQuery(ApiSql.EVENT_EXISTS).execute(Tuple.of(id))
                .map(rows -> rows.iterator().next().getBoolean("found"));
    }

    static JsonObject withDetectionCount(JsonObject event) {
        JsonArray ids = event.getJsonArray("detection_ids");
        return event.put("detection_count", ids == null ? 0 : ids.size());
    }

    private Uni<JsonObject> single(String sql, Tuple params, String notFound) {
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            if (rows.size() == 0) {
                throw ApiError.notFound(notFound);
            }
            return RowJson.object(rows.iterator().next());
        });
    }

    /** One page plus the total count of matching rows, queried side by side. */
    private Uni<JsonObject> page(
            String pageSql, String countSql, List<Object> filter, int limit, int offset, String name) {
        List<Object> pageParams = new ArrayList<>(filter);
        pageParams.add(limit);
        pageParams.add(offset);
        Uni<RowSet<Row>> page = pool.preparedQuery(pageSql).execute(Tuple.tuple(pageParams));
        Uni<RowSet<Row>> count = pool.preparedQuery(countSql).execute(Tuple.tuple(filter));
        return Uni.combine().all().unis(page, count).asTuple().map(both -> new JsonObject()
                .put(name, new JsonArray(List.copyOf(RowJson.objects(both.getItem1()))))
                .put("count", both.getItem2().iterator().next().getLong("total"))
                .put("limit", limit)
                .put("offset", offset));
    }
}
