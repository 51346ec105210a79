package dev.hsi.bench;

import dev.hsi.bench.BenchDetections.Upload;
import dev.hsi.detect.AppDetectionWriter;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * PartitionBench's load: every row goes through the detect stage's own writer, one statement per upload,
 * {@code --concurrency} statements in flight, on a pool configured as the server configures the detect stage's. The
 * first {@code --throughput-rows} rows are also copied with COPY into an identical partitioned twin, round by round,
 * so that the two are timed side by side on tables of the same size: (c).
 */
final class WriterLoad {

    private final BenchOptions options;
    private final BenchPostgres pg;
    private final Vertx vertx;
    private final BenchReport report;

    WriterLoad(BenchOptions options, BenchPostgres pg, Vertx vertx, BenchReport report) {
        this.options = options;
        this.pg = pg;
        this.vertx = vertx;
        this.report = report;
    }

    /** (c) The writer and COPY alternate on the same rows, round by round, into identical partitioned tables. */
    void insertThroughput(BenchDetections data) {
        Pool pool = options.genericWriterPlans() ? pg.writerPool(vertx, options.concurrency())
                : pg.pool(vertx, options.concurrency(), Optional.empty());
        AppDetectionWriter writer = new AppDetectionWriter(pool);
        report.line("\n## (c) insert throughput: the detect stage's writer against COPY of the same rows");
        report.line("| round | rows | writer rows/s | COPY rows/s | writer / COPY |");
        report.line("|---:|---:|---:|---:|---:|");
        List<Double> ratios = new ArrayList<>();
        long writerRows = 0;
        double writerSeconds = 0;
        double copySeconds = 0;
        for (int round = 1; round <= options.throughputRounds() && data.hasMore(); round++) {
            List<Upload> uploads = data.next(options.throughputRows() / options.throughputRounds());
            long rows = BenchDetections.rows(uploads);
            byte[] copyText = BenchDetections.copyText(uploads);
            pg.sql("CHECKPOINT");
            double writerTime;
            double copyTime;
            if (round % 2 == 1) {
                writerTime = write(writer, uploads);
                pg.sql("CHECKPOINT");
                copyTime = pg.copy("detections_copytwin", BenchDetections.COPY_COLUMNS, copyText);
            } else {
                copyTime = pg.copy("detections_copytwin", BenchDetections.COPY_COLUMNS, copyText);
                pg.sql("CHECKPOINT");
                writerTime = write(writer, uploads);
            }
            writerRows += rows;
            writerSeconds += writerTime;
            copySeconds += copyTime;
            ratios.add(copyTime / writerTime);
            report.line(String.format(Locale.ROOT, "| %d | %,d | %,.0f | %,.0f | %.1f %% |", round, rows, rows / writerTime,
                    rows / copyTime, 100 * copyTime / writerTime));
        }
        report.line(String.format(Locale.ROOT, "| all | %,d | %,.0f | %,.0f | **%.1f %%** (median of rounds %.1f %%) |",
                writerRows, writerRows / writerSeconds, writerRows / copySeconds, 100 * copySeconds / writerSeconds,
                100 * Stats.median(ratios)));
        pool.closeAndAwait();
        pg.sql("DROP TABLE detections_copytwin");
    }

    /** The remaining rows, through the same writer; its overall rate is reported too. */
    void loadTheRest(BenchDetections data) {
        Pool pool = options.genericWriterPlans() ? pg.writerPool(vertx, options.concurrency())
                : pg.pool(vertx, options.concurrency(), Optional.empty());
        AppDetectionWriter writer = new AppDetectionWriter(pool);
        long before = data.rowsMade();
        double seconds = 0;
        while (data.hasMore()) {
            seconds += write(writer, data.next(200_000));
            report.progress("loaded " + data.rowsMade() + " rows");
        }
        pool.closeAndAwait();
        long rows = data.rowsMade() - before;
        if (rows > 0) {
            report.line(String.format(Locale.ROOT, "\nRest of the load through the writer: %,d rows in %.0f s = %,.0f rows/s"
                    + " (%d statements in flight)", rows, seconds, rows / seconds, options.concurrency()));
        }
        long stored = pg.number("SELECT count(*) FROM detections");
        if (stored != options.rows()) {
            throw new IllegalStateException(stored + " rows stored, " + options.rows() + " generated");
        }
    }

    /** Seconds the writer took to store {@code uploads}, one statement per upload. */
    private double write(AppDetectionWriter writer, List<Upload> uploads) {
        long started = System.nanoTime();
        long rows = Multi.createFrom().iterable(uploads)
                .onItem().transformToUni(u -> writer.write(u.cameraId(), u.filePath(), u.fileHash(), u.detectedAt(),
                        u.boxes()))
                .merge(options.concurrency())
                .collect().with(Collectors.summingLong(Integer::longValue))
                .await().indefinitely();
        double seconds = (System.nanoTime() - started) / 1e9;
        if (rows != BenchDetections.rows(uploads)) {
            throw new IllegalStateException("the writer stored " + rows + " of " + BenchDetections.rows(uploads));
        }
        return seconds;
    }
}
