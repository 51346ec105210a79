package dev.hsi.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.support.MigratedPostgres;
import dev.hsi.support.QueryPlans;
import dev.hsi.support.QueryPlans.Plan;
import io.vertx.mutiny.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detect stage's writer runs on a pool with generic plans (planned once per connection): its lookup of a
 * group's earlier rows must still read only the months of the group's uploads, pruned when the executor starts.
 */
class DetectionWritePlanTest {

    @TempDir
    static Path dataDir;
    static Vertx vertx;
    static MigratedPostgres postgres;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        postgres = MigratedPostgres.start(dataDir.resolve("pg"), vertx);
        postgres.db().rows("SELECT hsi_create_monthly_partitions('detections', 16, '2025-10-01')");
    }

    @AfterAll
    static void stop() {
        postgres.close();
        vertx.closeAndAwait();
    }

    @Test
    @DisplayName("The generic plan of a group's one-statement write looks for earlier rows in the uploads' month only")
    void groupWriteLooksUpOneMonth() {
        Plan plan = groupWritePlan("'2026-03-15T12:00:00Z'", "'2026-03-15T12:00:04Z'");

        assertThat(plan.partitionsOf("detections")).containsExactly("detections_y2026m03");
        assertThat(plan.subplansRemoved()).isEqualTo(partitions() - 1);
    }

    @Test
    @DisplayName("A group whose uploads straddle a month's end reads those two months only")
    void groupWriteAcrossMonthsLooksUpBothMonths() {
        Plan plan = groupWritePlan("'2026-02-28T23:59:59Z'", "'2026-03-01T00:00:01Z'");

        assertThat(plan.partitionsOf("detections")).containsExactly("detections_y2026m02", "detections_y2026m03");
        assertThat(plan.subplansRemoved()).isEqualTo(partitions() - 2);
    }

    @Test
    @DisplayName("The grouped write is short enough for the client to keep it prepared (planned once per connection)")
    void groupWriteStaysPrepared() {
        assertThat(postgres.endpoint().genericPlanConnectOptions().getPreparedStatementCacheSqlFilter()
                .test(DetectionSql.STORE_UPLOADS)).isTrue();
    }

    /** Two uploads (one with two objects in zones, one with none), as {@link UploadArrays} binds them. */
    private static Plan groupWritePlan(String firstUpload, String secondUpload) {
        return new QueryPlans(postgres.pool()).generic(DetectionSql.STORE_UPLOADS,
                "'{cam01,cam02}'", "'{/data/cam01/a.jpg,/data/cam02/b.jpg}'", "'{image/jpeg,image/jpeg}'",
                "'{abc,def}'", "ARRAY[" + firstUpload + ", " + secondUpload + "]::timestamptz[]", "'{image,image}'",
                "'{NULL,NULL}'", "'{NULL,NULL}'", "'{NULL,NULL}'", "'{NULL,NULL}'", "'{2,0}'",
                "'{1,1}'", "'{0,1}'", "'{person,car}'", "'{0.9,0.8}'", "'{1,2}'", "'{1,2}'", "'{3,4}'", "'{3,4}'",
                "'{NULL,NULL}'", "'{1,2}'", "'{1,1}'", "'{zone-a,zone-b}'");
    }

    private static long partitions() {
        return postgres.db().count("SELECT count(*) FROM pg_inherits WHERE inhparent = 'detections'::regclass");
    }
}
