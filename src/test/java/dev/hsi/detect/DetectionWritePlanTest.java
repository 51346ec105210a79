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
 * The detect stage's writer runs on a pool with generic plans (planned once per connection): its lookup of an
 * earlier run's rows must still read one month only, pruned when the executor starts.
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
    @DisplayName("The generic plan of the one-statement insert looks for earlier rows in the upload's month only")
    void insertLooksUpOneMonth() {
        Plan plan = new QueryPlans(postgres.pool()).generic(DetectionSql.INSERT_DETECTIONS, "'cam01'",
                "'/data/cam01/a.jpg'", "'image/jpeg'", "'abc'", "'2026-03-15T12:00:00Z'", "'image'", "NULL", "NULL",
                "NULL", "NULL", "'{person,car}'", "'{0.9,0.8}'", "'{1,2}'", "'{1,2}'", "'{3,4}'", "'{3,4}'",
                "'{NULL,NULL}'", "'[[],[]]'");

        assertThat(plan.partitionsOf("detections")).containsExactly("detections_y2026m03");
        long partitions = postgres.db().count("SELECT count(*) FROM pg_inherits WHERE inhparent = 'detections'::regclass");
        assertThat(plan.subplansRemoved()).isEqualTo(partitions - 1);
    }
}
