package dev.hsi.recovery;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.WorkerExecutor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds uploads under FOSCAM_BASE_PATH that nothing accounts for, and queues them again through the ingest path.
 * A file is accounted for when it has detections, or a job in a queue, a processing list, a DLQ or a consumer's
 * hand. Of the rest, a file whose content was detected under another name within the dedupe TTL of its arrival is
 * a duplicate that ingest skipped on purpose, and stays skipped; the others are queued.
 *
 * <p>Cost: one walk of the tree (one stat per file), one query for the files in scope, and a read of only those
 * files that nothing accounts for. A file with no detections (nothing was seen in it) is unaccounted for too;
 * the {@code scopeStart} mark keeps those from being detected again at every start.
 */
final class FilePass {

    private static final Logger LOG = LoggerFactory.getLogger(FilePass.class);
    /** Uploads a little apart in time still count as one content seen twice. */
    private static final Duration CLOCK_SLACK = Duration.ofSeconds(5);

    /** A file in scope: its size, its last modification, and the later of that and its last status change. */
    record Candidate(Path path, long size, Instant modifiedAt, Instant changedAt) {
    }

    /** What one pass did; {@code firstFailure} says why the first file that could not be queued was not. */
    record Result(int inScope, int queued, int skipped, int failed, String firstFailure) {
        static final Result NOTHING = new Result(0, 0, 0, 0, null);
    }

    private final Path basePath;
    private final Predicate<Path> acceptedType;
    private final Duration dedupeTtl;
    private final Requeuer requeuer;
    private final WorkerExecutor workers;
    private final Pool pool;

    FilePass(Path basePath, Predicate<Path> acceptedType, Duration dedupeTtl, Requeuer requeuer,
            WorkerExecutor workers, Pool pool) {
        this.basePath = basePath;
        this.acceptedType = acceptedType;
        this.dedupeTtl = dedupeTtl;
        this.requeuer = requeuer;
        this.workers = workers;
        this.pool = pool;
    }

    /**
     * Files modified since {@code windowStart} (the retention window), changed since {@code scopeStart} (the last
     * complete pass) and not after {@code freshLimit} (files still being written belong to FTP and the watcher).
     */
    Uni<Result> run(Instant windowStart, Instant scopeStart, Instant freshLimit, QueueSnapshot snapshot) {
        return workers.executeBlocking(() -> scan(windowStart, scopeStart, freshLimit), false)
                .onItem().transformToUni(candidates -> candidates.isEmpty()
                        ? Uni.createFrom().item(Result.NOTHING)
                        : withoutDetections(candidates, windowStart)
                                .map(unknown -> unknown.stream()
                                        .filter(c -> !snapshot.detectionFiles().contains(c.path().toString()))
                                        .toList())
                                .onItem().transformToUni(unknown -> queueUnknown(unknown, candidates.size(),
                                        windowStart, snapshot)));
    }

    private Uni<Result> queueUnknown(List<Candidate> unknown, int inScope, Instant windowStart, QueueSnapshot snapshot) {
        if (unknown.isEmpty()) {
            return Uni.createFrom().item(new Result(inScope, 0, 0, 0, null));
        }
        return workers.executeBlocking(() -> hashes(unknown), false)
                .onItem().transformToUni(hashes -> contentSeen(hashes.values(), windowStart).onItem().transformToUni(seen -> {
                    List<Candidate> toQueue = new ArrayList<>();
                    for (Candidate candidate : unknown) {
                        String hash = hashes.get(candidate);
                        if (hash == null) {
                            continue; // vanished or unreadable since the walk
                        }
                        boolean duplicate = snapshot.detectionContent().contains(hash)
                                || seenNear(seen.get(hash), candidate.modifiedAt());
                        if (!duplicate) {
                            toQueue.add(candidate);
                        }
                    }
                    return requeue(toQueue, inScope, unknown.size() - toQueue.size(), snapshot.takenAt());
                }));
    }

    private Uni<Result> requeue(List<Candidate> files, int inScope, int skippedBefore, Instant accountedAt) {
        int[] counts = new int[3]; // queued, skipped, failed
        counts[1] = skippedBefore;
        String[] firstFailure = new String[1];
        return Multi.createFrom().iterable(files)
                .onItem().transformToUniAndConcatenate(file -> requeuer.requeue(file.path(), file.size(), file.modifiedAt(), accountedAt)
                        .invoke(queued -> {
                            if (queued) {
                                LOG.debug("Reconciliation queued {} again: no detections, no job and no DLQ entry",
                                        file.path());
                            }
                            counts[queued ? 0 : 1]++;
                        })
                        .onFailure().invoke(failure -> {
                            counts[2]++;
                            if (firstFailure[0] == null) {
                                firstFailure[0] = file.path() + ": " + failure.getMessage();
                            }
                            LOG.debug("Reconciliation could not queue {}: {}", file.path(), failure.getMessage());
                        })
                        .onFailure().recoverWithNull())
                .collect().last()
                .map(ignored -> new Result(inScope, counts[0], counts[1], counts[2], firstFailure[0]));
    }

    /** The candidates that have no detections at all. */
    private Uni<List<Candidate>> withoutDetections(List<Candidate> candidates, Instant windowStart) {
        String[] paths = candidates.stream().map(c -> c.path().toString()).toArray(String[]::new);
        return pool.preparedQuery(RecoverySql.FILES_WITH_DETECTIONS)
                .execute(Tuple.of(paths, windowStart.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    Set<String> known = new HashSet<>();
                    rows.forEach(row -> known.add(row.getString(0)));
                    return candidates.stream().filter(c -> !known.contains(c.path().toString())).toList();
                });
    }

    /** When each of these contents was detected (under any name) within the window. */
    private Uni<Map<String, List<Instant>>> contentSeen(java.util.Collection<String> hashes, Instant windowStart) {
        return pool.preparedQuery(RecoverySql.CONTENT_WITH_DETECTIONS)
                .execute(Tuple.of(hashes.toArray(String[]::new), windowStart.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    Map<String, List<Instant>> seen = new HashMap<>();
                    rows.forEach(row -> seen.computeIfAbsent(row.getString(0), h -> new ArrayList<>())
                            .add(row.getOffsetDateTime(1).toInstant()));
                    return seen;
                });
    }

    /** Ingest skips content seen within the dedupe TTL before: such a file was a duplicate, not a lost upload. */
    private boolean seenNear(List<Instant> detectedAt, Instant arrived) {
        if (detectedAt == null) {
            return false;
        }
        Instant from = arrived.minus(dedupeTtl).minus(CLOCK_SLACK);
        Instant to = arrived.plus(CLOCK_SLACK);
        return detectedAt.stream().anyMatch(t -> !t.isBefore(from) && !t.isAfter(to));
    }

    private List<Candidate> scan(Instant windowStart, Instant scopeStart, Instant freshLimit) throws IOException {
        List<Candidate> found = new ArrayList<>();
        if (!Files.isDirectory(basePath)) {
            return found;
        }
        Files.walkFileTree(basePath, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (!attributes.isRegularFile() || basePath.relativize(file).getNameCount() < 2
                        || !acceptedType.test(file)) {
                    return FileVisitResult.CONTINUE;
                }
                Instant modified = attributes.lastModifiedTime().toInstant();
                Instant changed = later(modified, statusChange(file));
                if (!modified.isBefore(windowStart) && !changed.isBefore(scopeStart) && changed.isBefore(freshLimit)) {
                    found.add(new Candidate(file, attributes.size(), modified, changed));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                LOG.debug("Reconciliation cannot read {}: {}", file, e.getMessage());
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
    }

    /**
     * A file's status-change time (ctime): when it was created, renamed or written here. Unlike the modification
     * time, a copy that keeps old timestamps (rsync -t, cp -p) cannot set it back, so it tells what arrived since
     * the last pass. Null where the file system does not report it.
     */
    private static Instant statusChange(Path file) {
        try {
            return ((FileTime) Files.getAttribute(file, "unix:ctime")).toInstant();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Instant later(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }

    private static Map<Candidate, String> hashes(List<Candidate> files) {
        Map<Candidate, String> hashes = new HashMap<>();
        byte[] buffer = new byte[64 * 1024];
        for (Candidate file : files) {
            try (InputStream in = new DigestInputStream(Files.newInputStream(file.path()), sha256())) {
                while (in.read(buffer) >= 0) {
                    // reading feeds the digest
                }
                hashes.put(file, HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest()));
            } catch (IOException e) {
                LOG.debug("Reconciliation cannot read {}: {}", file.path(), e.getMessage());
            }
        }
        return hashes;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
