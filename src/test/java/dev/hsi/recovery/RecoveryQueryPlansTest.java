package dev.hsi.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.support.MigratedPostgres;
import dev.hsi.support.QueryPlans;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reconciliation only looks back RETENTION_DAYS: its queries must skip the months before that. */
class RecoveryQueryPlansTest {

    private static final OffsetDateTime SINCE = OffsetDateTime.parse("2026-12-10T00:00:00Z");
    private static final Set<String> FROM_DECEMBER = Set.of("detections_y2026m12", "detections_y2027m01",
            "detections_y2027m02", "detections_default");

    @TempDir
    static Path dataDir;
    static Vertx vertx;
    static MigratedPostgres postgres;
    static QueryPlans plans;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        postgres = MigratedPostgres.start(dataDir.resolve("pg"), vertx);
        postgres.db().rows("SELECT hsi_create_monthly_partitions('detections', 16, '2025-10-01')");
        plans = new QueryPlans(postgres.pool());
    }

    @AfterAll
    static void stop() {
        postgres.close();
        vertx.closeAndAwait();
    }

    @Test
    @DisplayName("Files, contents and event-less detections since the cutoff: only the months from the cutoff on")
    void recoveryQueriesPrune() {
        String[] paths = {"/data/cam01/a.jpg"};
        assertThat(plans.custom(RecoverySql.FILES_WITH_DETECTIONS, Tuple.of(paths, SINCE)).partitionsOf("detections"))
                .isEqualTo(FROM_DECEMBER);
        assertThat(plans.custom(RecoverySql.CONTENT_WITH_DETECTIONS, Tuple.of(new String[] {"abc"}, SINCE))
                .partitionsOf("detections")).isEqualTo(FROM_DECEMBER);
        assertThat(plans.custom(RecoverySql.DETECTIONS_WITHOUT_EVENT, Tuple.of(SINCE, 500)).partitionsOf("detections"))
                .isEqualTo(FROM_DECEMBER);
        assertThat(plans.generic(RecoverySql.DETECTIONS_WITHOUT_EVENT, "'" + SINCE + "'", "500")
                .partitionsOf("detections")).isEqualTo(FROM_DECEMBER);
    }
}
