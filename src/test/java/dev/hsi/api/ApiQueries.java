package dev.hsi.api;

/** The API's own SQL text, for benchmarks outside this package that must run exactly what the API runs. */
public final class ApiQueries {

    /** GET /api/detections' page: $1 camera_id, $2 object_type, $3 start, $4 end, $5 min_confidence, $6 limit, $7 offset. */
    public static final String DETECTIONS_PAGE = ApiSql.SELECT_DETECTIONS_PAGE;

    /** GET /api/detections' count, $1-$5 as {@link #DETECTIONS_PAGE}. */
    public static final String DETECTIONS_COUNT = ApiSql.COUNT_DETECTIONS;

    private ApiQueries() {
    }
}
