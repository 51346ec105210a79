package dev.hsi.retention;

import dev.hsi.bus.CleanupReport;
import dev.hsi.config.RetentionConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retention cleanup. For each partitioned table, partitions entirely older than its cutoff are detached and
 * dropped whole (the rows referencing them first, in the same transaction); then the rows older than the cutoff
 * that remain (in the partition straddling the cutoff, or in the default partition) are deleted one by one. Upload
 * records older than the retention go too. Thumbnails of the removed detections are deleted once their rows are
 * gone, and their original images when configured and no newer row names them.
 *
 * <p>A dry run counts, with the same cutoffs and the same rules, exactly what a real run at that moment removes.
 * Nothing blocks the event loop: the database is reached through the reactive client, files on a worker.
 */
final class CleanupJob {

    private static final Logger LOG = LoggerFactory.getLogger(CleanupJob.class);

    /** The instants before which rows go: one per retention setting. */
    private record Cutoffs(Instant data, Instant logs) {
        Instant of(RetainedTable table) {
            return table.retention() == RetainedTable.Retention.DATA ? data : logs;
        }
    }

    private final RetentionRepository repository;
    private final MediaFiles files;
    private final RetentionConfig config;
    private final WorkerExecutor workers;
    private final Clock clock;

    CleanupJob(RetentionRepository repository, MediaFiles files, RetentionConfig config, WorkerExecutor workers,
            Clock clock) {
        this.repository = repository;
        this.files = files;
        this.config = config;
        this.workers = workers;
        this.clock = clock;
    }

    Uni<CleanupReport> run(boolean dryRun) {
        Instant now = clock.instant();
        Cutoffs cutoffs = new Cutoffs(now.minus(config.retention()), now.minus(config.logRetention()));
        CleanupTally tally = new CleanupTally();
        Uni<Void> rows = dryRun ? count(cutoffs, tally) : remove(cutoffs, tally);
        return rows
                .flatMap(done -> images(dryRun, cutoffs, tally))
                .flatMap(images -> workers.executeBlocking(() -> dryRun
                        ? files.measure(tally.thumbnails(), images)
                        : files.delete(tally.thumbnails(), images), false))
                .map(outcome -> tally.report(outcome, config, dryRun, now));
    }

    private Uni<Void> remove(Cutoffs cutoffs, CleanupTally tally) {
        return Multi.createFrom().items(RetainedTable.values())
                .onItem().transformToUniAndConcatenate(table -> removeFrom(table, cutoffs.of(table), tally))
                .collect().last()
                .flatMap(done -> repository.deleteProcessedUploadsBefore(cutoffs.data()))
                .invoke(paths -> tally.addProcessedUploads(paths.size(), paths))
                .replaceWithVoid();
    }

    private Uni<Void> removeFrom(RetainedTable table, Instant cutoff, CleanupTally tally) {
        return repository.partitions(table)
                .onItem().transformToMulti(partitions -> Multi.createFrom().iterable(partitions))
                .select().where(partition -> partition.entirelyBefore(cutoff))
                .onItem().transformToUniAndConcatenate(partition -> repository.dropPartition(table, partition)
                        .invoke(removed -> {
                            tally.add(table, removed, files);
                            tally.addDroppedPartition(partition);
                            LOG.info("Retention dropped partition {} ({} rows, {} bytes) of {}", partition.name(),
                                    removed.rows(), partition.totalBytes(), table.tableName());
                        }))
                .collect().last()
                .flatMap(done -> repository.deleteRowsBefore(table, cutoff))
                .invoke(removed -> tally.add(table, removed, files))
                .replaceWithVoid();
    }

    private Uni<Void> count(Cutoffs cutoffs, CleanupTally tally) {
        return Multi.createFrom().items(RetainedTable.values())
                .onItem().transformToUniAndConcatenate(table -> repository.countRowsBefore(table, cutoffs.of(table))
                        .invoke(count -> tally.addRows(table, count))
                        .flatMap(count -> repository.partitions(table))
                        .invoke(partitions -> partitions.stream()
                                .filter(partition -> partition.entirelyBefore(cutoffs.of(table)))
                                .forEach(tally::addDroppedPartition)))
                .collect().last()
                .flatMap(done -> repository.countLinksBefore(cutoffs.data(), cutoffs.data()))
                .invoke(tally::addLinks)
                .flatMap(links -> repository.countAlertsBefore(cutoffs.data()))
                .invoke(tally::addAlerts)
                .flatMap(alerts -> repository.countProcessedUploadsBefore(cutoffs.data()))
                .invoke(uploads -> tally.addProcessedUploads(uploads, List.of()))
                .flatMap(uploads -> repository.detectionFilesBefore(cutoffs.data()))
                .invoke(detections -> tally.addFiles(detections, files))
                .replaceWithVoid();
    }

    /** The original images to delete: none unless CLEANUP_DELETE_IMAGES is on. */
    private Uni<Set<Path>> images(boolean dryRun, Cutoffs cutoffs, CleanupTally tally) {
        if (!config.deleteImages()) {
            return Uni.createFrom().item(Set.of());
        }
        Uni<List<String>> paths = dryRun
                ? repository.imagesOnlyOldRowsName(cutoffs.data())
                : tally.imageCandidates().isEmpty()
                        ? Uni.createFrom().item(List.of())
                        : repository.imagesNoRowNames(tally.imageCandidates());
        return paths.map(list -> list.stream().map(Path::of).collect(Collectors.toCollection(LinkedHashSet::new)));
    }
}
