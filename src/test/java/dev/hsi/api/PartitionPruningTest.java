package dev.hsi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.support.MigratedPostgres;
import dev.hsi.support.QueryPlans;
import dev.hsi.support.QueryPlans.Plan;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every API query that filters by time lets PostgreSQL prune partitions: the real SQL text, explained with monthly
 * partitions from October 2025 to February 2027 in place. Custom plans (values known at planning) list only the
 * partitions that can hold matching rows; generic plans (values unknown at planning) remove the others when the
 * executor starts ("Subplans Removed"). Dates are fixed, so the test does not depend on today's date.
 */
class PartitionPruningTest {

    private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-03-15T12:00:00Z");
    private static final OffsetDateTime DAY_AGO = NOW.minusHours(24);
    private static final YearMonth LAST = YearMonth.of(2027, 2);

    @TempDir
    static Path dataDir;
    static Vertx vertx;
    static MigratedPostgres postgres;
    static QueryPlans plans;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        postgres = MigratedPostgres.start(dataDir.resolve("pg"), vertx);
        for (String table : List.of("detections", "events", "logs")) {
            postgres.db().rows("SELECT hsi_create_monthly_partitions(?, 16, '2025-10-01')", table);
        }
        plans = new QueryPlans(postgres.pool());
    }

    @AfterAll
    static void stop() {
        postgres.close();
        vertx.closeAndAwait();
    }

    @Test
    @DisplayName("One camera's last 24 hours of detections (page and count) plans only the month it falls in")
    void oneCamerasLastDayOfDetections() {
        List<Object> filter = Arrays.asList("cam07", null, DAY_AGO, NOW, null);
        Set<String> march = months("detections", YearMonth.of(2026, 3), YearMonth.of(2026, 3));

        assertThat(plans.custom(ApiSql.SELECT_DETECTIONS_PAGE, page(filter, 50, 0)).partitionsOf("detections"))
                .isEqualTo(march);
        assertThat(plans.custom(ApiSql.COUNT_DETECTIONS, Tuple.tuple(filter)).partitionsOf("detections"))
                .isEqualTo(march);
        Plan generic = plans.generic(ApiSql.SELECT_DETECTIONS_PAGE, "'cam07'", "NULL", literal(DAY_AGO), literal(NOW),
                "NULL", "50", "0");
        assertThat(generic.partitionsOf("detections")).isEqualTo(march);
        assertThat(generic.subplansRemoved()).isEqualTo(allPartitions("detections") - 1);
    }

    @Test
    @DisplayName("Without an end date the last 24 hours still skip every earlier month")
    void lastDayWithoutEndDate() {
        List<Object> filter = Arrays.asList("cam07", null, DAY_AGO, null, null);
        Set<String> fromMarch = withDefault("detections", months("detections", YearMonth.of(2026, 3), LAST));

        assertThat(plans.custom(ApiSql.SELECT_DETECTIONS_PAGE, page(filter, 50, 0)).partitionsOf("detections"))
                .isEqualTo(fromMarch);
        Plan generic = plans.generic(ApiSql.COUNT_DETECTIONS, "'cam07'", "NULL", literal(DAY_AGO), "NULL", "NULL");
        assertThat(generic.partitionsOf("detections")).isEqualTo(fromMarch);
        assertThat(generic.subplansRemoved()).isEqualTo(allPartitions("detections") - fromMarch.size());
    }

    @Test
    @DisplayName("A day that spans two months plans exactly those two")
    void dayAcrossAMonthBoundary() {
        OffsetDateTime from = OffsetDateTime.parse("2026-02-28T18:00:00Z");
        List<Object> filter = Arrays.asList("cam07", null, from, from.plusHours(24), null);

        assertThat(plans.custom(ApiSql.COUNT_DETECTIONS, Tuple.tuple(filter)).partitionsOf("detections"))
                .isEqualTo(months("detections", YearMonth.of(2026, 2), YearMonth.of(2026, 3)));
    }

    @Test
    @DisplayName("One camera's last 24 hours of events, first page and a keyset page, plan only March")
    void oneCamerasLastDayOfEvents() {
        List<Object> filter = Arrays.asList("front_door", null, DAY_AGO, null, null, null);
        Set<String> fromMarch = withDefault("events", months("events", YearMonth.of(2026, 3), LAST));
        Set<String> march = months("events", YearMonth.of(2026, 3), YearMonth.of(2026, 3));

        assertThat(plans.custom(ApiSql.SELECT_EVENTS_PAGE, eventPage(filter, null, null)).partitionsOf("events"))
                .isEqualTo(fromMarch);
        assertThat(plans.custom(ApiSql.COUNT_EVENTS, Tuple.tuple(filter)).partitionsOf("events")).isEqualTo(fromMarch);
        // a cursor bounds the page from above: only the cursor's month down to the start date remains
        assertThat(plans.custom(ApiSql.SELECT_EVENTS_PAGE, eventPage(filter, NOW.minusHours(1), 42L))
                .partitionsOf("events")).isEqualTo(march);
        Plan generic = plans.generic(ApiSql.SELECT_EVENTS_PAGE, "'front_door'", "NULL", literal(DAY_AGO), "NULL",
                "NULL", "NULL", literal(NOW.minusHours(1)), "42", "51", "0");
        assertThat(generic.partitionsOf("events")).isEqualTo(march);
        assertThat(generic.subplansRemoved()).isEqualTo(allPartitions("events") - 1);
    }

    @Test
    @DisplayName("Event search with a date range plans only the months in the range")
    void searchWithDates() {
        List<Object> search = Arrays.asList("'person'", null, null, null, null, OffsetDateTime.parse("2026-04-01T00:00:00Z"),
                OffsetDateTime.parse("2026-05-31T23:59:59Z"));
        Set<String> aprilMay = months("events", YearMonth.of(2026, 4), YearMonth.of(2026, 5));

        assertThat(plans.custom(EventSearchSql.SEARCH_EVENTS, page(search, 50, 0)).partitionsOf("events"))
                .isEqualTo(aprilMay);
        assertThat(plans.custom(EventSearchSql.COUNT_MATCHES, Tuple.tuple(search)).partitionsOf("events"))
                .isEqualTo(aprilMay);
        Plan generic = plans.generic(EventSearchSql.SEARCH_EVENTS, "'''person'''", "NULL", "NULL", "NULL", "NULL",
                "'2026-04-01T00:00:00Z'", "'2026-05-31T23:59:59Z'", "50", "0");
        assertThat(generic.partitionsOf("events")).isEqualTo(aprilMay);
        assertThat(generic.subplansRemoved()).isEqualTo(allPartitions("events") - 2);
    }

    @Test
    @DisplayName("Logs by date range, by keyset page and the day's figures plan only their months")
    void logs() {
        List<Object> filter = Arrays.asList("ERROR", null, null, null, null, DAY_AGO, NOW);
        Set<String> march = months("logs", YearMonth.of(2026, 3), YearMonth.of(2026, 3));
        List<Object> page = Arrays.asList("ERROR", null, null, null, null, DAY_AGO, NOW, NOW.minusHours(2), 7L, 101, 0);

        assertThat(plans.custom(LogSql.COUNT_LOGS, Tuple.tuple(filter)).partitionsOf("logs")).isEqualTo(march);
        assertThat(plans.custom(LogSql.SELECT_LOGS_PAGE, Tuple.tuple(page)).partitionsOf("logs")).isEqualTo(march);
        assertThat(plans.custom(LogSql.COUNT_SINCE_BY_LEVEL_AND_COMPONENT,
                Tuple.of(OffsetDateTime.parse("2027-02-01T00:00:00Z"))).partitionsOf("logs"))
                .isEqualTo(withDefault("logs", months("logs", LAST, LAST)));
        Plan generic = plans.generic(LogSql.SELECT_LOGS_PAGE, "'ERROR'", "NULL", "NULL", "NULL", "NULL",
                literal(DAY_AGO), literal(NOW), "NULL", "NULL", "101", "0");
        assertThat(generic.partitionsOf("logs")).isEqualTo(march);
        assertThat(generic.subplansRemoved()).isEqualTo(allPartitions("logs") - 1);
    }

    @Test
    @DisplayName("A list without dates reads every partition: nothing is pruned that could hold a row")
    void noDatesNoPruning() {
        List<Object> filter = Arrays.asList(null, null, null, null, null, null);
        assertThat(plans.custom(ApiSql.COUNT_EVENTS, Tuple.tuple(filter)).partitionsOf("events"))
                .hasSize(allPartitions("events"));
    }

    private static Tuple page(List<Object> filter, int limit, int offset) {
        return Tuple.tuple(filter).addInteger(limit).addInteger(offset);
    }

    private static Tuple eventPage(List<Object> filter, OffsetDateTime cursorAt, Long cursorId) {
        return Tuple.tuple(filter).addOffsetDateTime(cursorAt).addLong(cursorId).addInteger(51).addInteger(0);
    }

    private static String literal(OffsetDateTime time) {
        return "'" + time + "'";
    }

    /** Partition names of {@code parent} for the months from {@code from} to {@code to}. */
    private static Set<String> months(String parent, YearMonth from, YearMonth to) {
        Set<String> names = new TreeSet<>();
        for (YearMonth month = from; !month.isAfter(to); month = month.plusMonths(1)) {
            names.add(String.format("%s_y%04dm%02d", parent, month.getYear(), month.getMonthValue()));
        }
        return names;
    }

    private static Set<String> withDefault(String parent, Set<String> months) {
        Set<String> names = new TreeSet<>(months);
        names.add(parent + "_default");
        return names;
    }

    /** Every partition of {@code parent}, the default one included. */
    private static int allPartitions(String parent) {
        return (int) postgres.db().count("SELECT count(*) FROM pg_inherits WHERE inhparent = ?::regclass", parent);
    }

}
