package dev.hsi.bench;

import dev.hsi.detect.AppDetectionWriter;
import dev.hsi.detect.AppDetectionWriter.Upload;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * PartitionBench's load: every row goes through the detect stage's own writer as the server stores a detector group:
 * groups of {@code --writer-group} consecutive uploads (8), one statement per group writing the detections and each
 * upload's {@code processed_uploads} row, {@code --concurrency} groups in flight (4, as the default two inference
 * lanes of two loops each), on a pool configured as the server configures the detect stage's. The first
 * {@code --throughput-rows} rows and their uploads' {@code processed_uploads} rows are also loaded with COPY into
 * identical twins of both tables, round by round, so that the two are timed side by side on tables of the same size
 * and doing the same work: (c).
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
        pg.sql("CREATE TABLE processed_uploads_copytwin (LIKE processed_uploads INCLUDING ALL)");
        report.line(String.format(Locale.ROOT, "\n## (c) insert throughput: the detect stage's writer (%d upload(s) per"
                + " statement, %d statements in flight) against COPY of the same rows, processed_uploads included",
                options.writerGroup(), options.concurrency()));
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
            byte[] processedText = BenchDetections.processedCopyText(uploads);
            pg.sql("CHECKPOINT");
            double writerTime;
            double copyTime;
            if (round % 2 == 1) {
                writerTime = write(writer, uploads);
                pg.sql("CHECKPOINT");
                copyTime = copy(copyText, processedText);
            } else {
                copyTime = copy(copyText, processedText);
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
        pg.sql("DROP TABLE detections_copytwin", "DROP TABLE processed_uploads_copytwin");
    }

    /** Seconds COPY took to load the round's detections and then its uploads' processed_uploads rows. */
    private double copy(byte[] detections, byte[] processed) {
        return pg.copy("detections_copytwin", BenchDetections.COPY_COLUMNS, detections)
                + pg.copy("processed_uploads_copytwin", BenchDetections.PROCESSED_COPY_COLUMNS, processed);
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
                    + " (%d upload(s) per statement, %d statements in flight)", rows, seconds, rows / seconds,
                    options.writerGroup(), options.concurrency()));
        }
        long stored = pg.number("SELECT count(*) FROM detections");
        if (stored != options.rows()) {
            throw new IllegalStateException(stored + " rows stored, " + options.rows() + " generated");
        }
        long processed = pg.number("SELECT sum(object_count) FROM processed_uploads");
        if (processed != options.rows()) {
            throw new IllegalStateException("processed_uploads counts " + processed + " objects, " + options.rows()
                    + " generated");
        }
    }

    /** Seconds the writer took to store {@code uploads}, in groups of consecutive uploads. */
    private double write(AppDetectionWriter writer, List<Upload> uploads) {
        List<List<Upload>> groups = new ArrayList<>();
        for (int from = 0; from < uploads.size(); from += options.writerGroup()) {
            groups.add(uploads.subList(from, Math.min(uploads.size(), from + options.writerGroup())));
        }
        long started = System.nanoTime();
        long rows = Multi.createFrom().iterable(groups)
                .onItem().transformToUni(writer::write)
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
