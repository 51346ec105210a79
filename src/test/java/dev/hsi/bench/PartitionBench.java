package dev.hsi.bench;

import dev.hsi.infra.Migrations;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Partitioned {@code detections} against the same rows in an unpartitioned copy (issue 5's Measure). A {@code main},
 * not a test. It starts embedded PostgreSQL 17 in a directory of its own (or uses {@code --jdbc-url}), migrates it,
 * and loads {@code --rows} detections spread over the last 12 months across {@code --cameras} cameras through the
 * detect stage's own writer ({@link dev.hsi.detect.AppDetectionWriter}: the same SQL text, one statement per group of
 * {@code --writer-group} uploads writing their detections and {@code processed_uploads} rows, the reactive client,
 * {@code --concurrency} groups in flight; see {@link WriterLoad}). Then, side by side and alternating:
 * <ol>
 *   <li>(c) insert throughput: the writer against PostgreSQL's COPY of the same rows into identical twins of
 *       {@code detections} (same columns, indexes, partitions and camera foreign key) and of
 *       {@code processed_uploads}, in rounds over the first {@code --throughput-rows} rows, so both tables have the
 *       same size at each round;</li>
 *   <li>(a) one camera's last 24 hours, as {@code GET /api/detections?camera_id&start_date} runs it (page + count),
 *       warm (repeated) and cold (PostgreSQL restarted and its files dropped from the page cache before each run);
 *       the copy has the same indexes, built after its load;</li>
 *   <li>(b) dropping the oldest months: DETACH + DROP of a partition against {@code DELETE ... WHERE detected_at <
 *       cutoff} of the same rows on the copy.</li>
 * </ol>
 * Run from the project root (see docs/performance.md):
 * <pre>
 * mvn -o -q test-compile exec:java -Dexec.mainClass=dev.hsi.bench.PartitionBench -Dexec.args="--rows 10000000"
 * </pre>
 */
public final class PartitionBench {

    private final BenchOptions options;
    private final BenchPostgres pg;
    private final BenchReport report = new BenchReport();
    private final Instant end = Instant.now().truncatedTo(ChronoUnit.MICROS);
    private final Instant start = end.minus(Duration.ofDays(365));
    private Vertx vertx;

    private PartitionBench(BenchOptions options, BenchPostgres pg) {
        this.options = options;
        this.pg = pg;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        if (System.getProperty("LOG_LEVEL") == null) {
            System.setProperty("LOG_LEVEL", "WARN");
        }
        Path dir = options.dir() != null ? Path.of(options.dir()) : Files.createTempDirectory("hsi-partition-bench");
        int status = 0;
        try (BenchPostgres pg = options.jdbcUrl() != null ? BenchPostgres.external(options.jdbcUrl())
                : BenchPostgres.embedded(dir)) {
            new PartitionBench(options, pg).run();
        } catch (Throwable e) {
            System.err.println("PartitionBench failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private void run() {
        report.line("# PartitionBench " + options);
        setUp();
        vertx = Vertx.vertx();
        try {
            BenchDetections data = new BenchDetections(options.rows(), options.cameras(), start, end);
            WriterLoad load = new WriterLoad(options, pg, vertx, report);
            load.insertThroughput(data);
            load.loadTheRest(data);
            copyUnpartitioned();
            lastDay();
            dropMonths();
        } finally {
            vertx.closeAndAwait();
            System.out.println("\n" + report.text());
        }
    }

    private void setUp() {
        Migrations.migrate(pg.endpoint());
        // both writers and the copy share these settings; a bigger max_wal_size only spares both needless checkpoints
        pg.sql("ALTER SYSTEM SET max_wal_size = '8GB'", "SELECT pg_reload_conf()");
        int months = (int) ChronoUnit.MONTHS.between(LocalDate.ofInstant(start, ZoneOffset.UTC).withDayOfMonth(1),
                LocalDate.ofInstant(end, ZoneOffset.UTC)) + 2;
        pg.sql(String.format(Locale.ROOT, "SELECT hsi_create_monthly_partitions('detections', %d, '%s')", months,
                start));
        for (int c = 0; c < options.cameras(); c++) {
            String id = BenchDetections.cameraId(c);
            pg.sql("INSERT INTO cameras (id, name, folder_path) VALUES ('" + id + "', 'Camera " + id + "', '/data/"
                    + id + "')");
        }
        pg.sql("CREATE TABLE detections_copytwin (LIKE detections INCLUDING ALL) PARTITION BY RANGE (detected_at)",
                "ALTER TABLE detections_copytwin ADD FOREIGN KEY (camera_id) REFERENCES cameras (id)",
                "CREATE TABLE detections_copytwin_default PARTITION OF detections_copytwin DEFAULT",
                String.format(Locale.ROOT, "SELECT hsi_create_monthly_partitions('detections_copytwin', %d, '%s')",
                        months, start));
        report.line("settings: " + pg.rows("SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings"
                + " WHERE name IN ('shared_buffers', 'synchronous_commit', 'fsync', 'max_wal_size', 'work_mem',"
                + " 'server_version', 'plan_cache_mode')").get(0).get(0));
        report.line("partitions of detections: " + pg.number("SELECT count(*) FROM pg_inherits WHERE inhparent ="
                + " 'detections'::regclass") + "; indexes on detections: " + pg.number("SELECT count(*) FROM"
                + " pg_indexes WHERE schemaname = 'public' AND tablename = 'detections'"));
    }

    /** The unpartitioned copy: same columns, constraints and indexes, loaded from the partitioned table. */
    private void copyUnpartitioned() {
        long started = System.nanoTime();
        pg.sql("CREATE SCHEMA flat",
                "CREATE TABLE flat.detections (LIKE public.detections INCLUDING DEFAULTS INCLUDING CONSTRAINTS)",
                "INSERT INTO flat.detections SELECT * FROM public.detections");
        List<String> indexes = new ArrayList<>();
        for (List<Object> row : pg.rows("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'"
                + " AND tablename = 'detections' ORDER BY indexname")) {
            String definition = ((String) row.get(0)).replace(" ON ONLY public.detections ", " ON flat.detections ");
            indexes.add(definition);
            pg.sql(definition);
        }
        pg.sql("VACUUM ANALYZE public.detections", "VACUUM ANALYZE flat.detections");
        // from here on nothing is written but by the bench itself: autovacuum would only add noise to the timings
        pg.sql("ALTER SYSTEM SET autovacuum = off", "SELECT pg_reload_conf()");
        report.line(String.format(Locale.ROOT, "\nUnpartitioned copy flat.detections loaded, indexed and both tables vacuumed"
                + " and analysed in %.0f s. Its indexes (the partitioned table's, one by one):", BenchReport.seconds(started)));
        indexes.forEach(definition -> report.line("- `" + definition + "`"));
        report.line("Sizes: partitioned " + pg.rows("SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid)))"
                + " FROM pg_inherits WHERE inhparent = 'detections'::regclass").get(0).get(0) + ", copy "
                + pg.rows("SELECT pg_size_pretty(pg_total_relation_size('flat.detections'))").get(0).get(0));
    }

    /** (a) One camera's last 24 hours, warm and cold, partitioned against the copy, alternating. */
    private void lastDay() {
        LastDayQuery query = new LastDayQuery(BenchDetections.cameraId(6), end.minus(Duration.ofHours(24)));
        Pool partitioned = pg.pool(vertx, 2, Optional.empty());
        Pool flat = pg.pool(vertx, 2, Optional.of("flat, public"));
        long matching = query.count(partitioned);
        if (query.count(flat) != matching) {
            throw new IllegalStateException("the copy holds different rows for the query");
        }
        report.line(String.format(Locale.ROOT, "\n## (a) one camera's last 24 hours (%,d rows match; page of %d + count)",
                matching, LastDayQuery.PAGE));
        report.line("\nPlan on the partitioned table:\n```\n" + query.explain(partitioned) + "```");
        report.line("Plan on the copy:\n```\n" + query.explain(flat) + "```");
        for (int i = 0; i < 5; i++) {
            query.millis(partitioned, matching);
            query.millis(flat, matching);
        }
        List<Double> warmPartitioned = new ArrayList<>();
        List<Double> warmFlat = new ArrayList<>();
        for (int round = 0; round < options.warmRounds(); round++) {
            if (round % 2 == 0) {
                warmPartitioned.add(query.millis(partitioned, matching));
                warmFlat.add(query.millis(flat, matching));
            } else {
                warmFlat.add(query.millis(flat, matching));
                warmPartitioned.add(query.millis(partitioned, matching));
            }
        }
        partitioned.closeAndAwait();
        flat.closeAndAwait();
        report.line("| cache | runs | partitioned ms (median / min) | copy ms (median / min) | copy / partitioned |");
        report.line("|---|---:|---:|---:|---:|");
        report.line(Stats.row("warm", warmPartitioned, warmFlat));
        if (!pg.canRestart()) {
            report.line("| cold | not measured: an external server cannot be restarted by the bench | | | |");
            return;
        }
        List<Double> coldPartitioned = new ArrayList<>();
        List<Double> coldFlat = new ArrayList<>();
        for (int round = 0; round < options.coldRounds(); round++) {
            boolean partitionedFirst = round % 2 == 0;
            for (boolean onPartitioned : new boolean[] {partitionedFirst, !partitionedFirst}) {
                pg.restartCold();
                Pool pool = pg.pool(vertx, 2, onPartitioned ? Optional.empty() : Optional.of("flat, public"));
                pool.query("SELECT 1").execute().await().indefinitely(); // connected: only the query is timed
                (onPartitioned ? coldPartitioned : coldFlat).add(query.millis(pool, matching));
                pool.closeAndAwait();
            }
        }
        report.line(Stats.row("cold", coldPartitioned, coldFlat));
    }

    /** (b) The oldest months, one per round: partition DETACH + DROP against DELETE of the same rows. */
    private void dropMonths() {
        report.line("\n## (b) dropping a month: DETACH + DROP PARTITION against DELETE ... WHERE detected_at < cutoff");
        report.line("| month | rows | DETACH + DROP s | DELETE s | DELETE / DROP | VACUUM after the DELETE s |"
                + " (DELETE + VACUUM) / DROP |");
        report.line("|---|---:|---:|---:|---:|---:|---:|");
        List<Double> ratios = new ArrayList<>();
        List<Double> withVacuum = new ArrayList<>();
        List<List<Object>> months = pg.rows("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'detections'::regclass AND c.relname <> 'detections_default'"
                + " ORDER BY c.relname LIMIT " + options.dropRounds());
        for (int round = 0; round < months.size(); round++) {
            String partition = (String) months.get(round).get(0);
            LocalDate month = LocalDate.of(Integer.parseInt(partition.substring(12, 16)),
                    Integer.parseInt(partition.substring(17, 19)), 1);
            String cutoff = month.plusMonths(1).atStartOfDay().atOffset(ZoneOffset.UTC).toString();
            long rows = pg.number("SELECT count(*) FROM " + partition);
            long flatRows = pg.number("SELECT count(*) FROM flat.detections WHERE detected_at < '" + cutoff + "'");
            if (rows != flatRows) {
                throw new IllegalStateException(partition + " holds " + rows + " rows, the copy " + flatRows);
            }
            double drop = 0;
            double delete = 0;
            for (boolean dropNow : round % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                pg.sql("CHECKPOINT");
                if (dropNow) {
                    drop = pg.timedTransaction("ALTER TABLE detections DETACH PARTITION " + partition,
                            "DROP TABLE " + partition);
                } else {
                    delete = pg.timedTransaction("DELETE FROM flat.detections WHERE detected_at < '" + cutoff + "'");
                }
            }
            // the DELETE leaves dead rows and index entries behind; only VACUUM gives the space and the indexes back
            pg.sql("CHECKPOINT");
            double vacuum = pg.timed("VACUUM flat.detections");
            ratios.add(delete / drop);
            withVacuum.add((delete + vacuum) / drop);
            report.line(String.format(Locale.ROOT, "| %s | %,d | %.4f | %.4f | %,.1f× | %.2f | %,.0f× |", partition,
                    rows, drop, delete, delete / drop, vacuum, (delete + vacuum) / drop));
        }
        report.line(String.format(Locale.ROOT, "| median | | | | **%,.1f×** | | **%,.0f×** |", Stats.median(ratios),
                Stats.median(withVacuum)));
    }

}
