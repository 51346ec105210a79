package dev.hsi.detect;

import dev.hsi.bus.Addresses;
import dev.hsi.bus.BusError;
import dev.hsi.bus.DetectionJob;
import dev.hsi.bus.DetectionsStored;
import dev.hsi.bus.MovedRecords;
import dev.hsi.bus.RedisKeys;
import dev.hsi.bus.UploadRenamed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.eventbus.Message;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the detect stage's records with their file when an upload is renamed over FTP, as cameras do that upload
 * under a temporary name of an accepted type ({@code tmp_1234.jpg}) and then rename it (decision 0015):
 *
 * <ul>
 *   <li>{@link #locate}: a job queued under an old name is loaded from, and stored under, the name its content has
 *       now. The ingest stage writes {@code renamed:{sha256}:{old path}} before the file moves, so a job that finds
 *       its file gone always finds where it went ({@link #relocate}).</li>
 *   <li>{@code detect.upload-renamed}: the records already stored under the old name are moved, and the reply says
 *       whether there were any.</li>
 *   <li>{@code detect.detections-stored}: rows that a job stored under the old name while the rename was being made
 *       are moved once they are committed. Both handlers run on the detect verticle's context, one after the other:
 *       rows committed before a rename is handled are moved by its own move, rows committed after are moved here.</li>
 * </ul>
 */
final class RenamedUploads {

    private static final Logger LOG = LoggerFactory.getLogger(RenamedUploads.class);
    /** Renames of one content followed at most; more means a loop of renames, whose last name is as good as any. */
    private static final int MAX_HOPS = 8;
    /** Old names remembered for the rows stored while their rename is made; that window lasts one store. */
    private static final int REMEMBERED_NAMES = 10_000;
    private static final int CONTENTS_PER_NAME = 8;
    private static final Duration REDIS_WAIT = Duration.ofSeconds(5);

    private final Pool pool;
    private final RedisAPI redis;
    /** Renames handled by this process: old path, then content hash, to new path. Verticle context only. */
    private final Map<String, Map<String, String>> handled = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, String>> eldest) {
            return size() > REMEMBERED_NAMES;
        }
    };

    private RenamedUploads(Pool pool, RedisAPI redis) {
        this.pool = pool;
        this.redis = redis;
    }

    /** Call from the detect verticle's start: its handlers then run on that verticle's context. */
    static RenamedUploads start(Vertx vertx, Pool pool, RedisAPI redis) {
        RenamedUploads renames = new RenamedUploads(pool, redis);
        vertx.eventBus().<UploadRenamed>consumer(Addresses.UPLOAD_RENAMED).handler(renames::renamed);
        vertx.eventBus().<DetectionsStored>consumer(Addresses.DETECTIONS_STORED)
                .handler(message -> renames.stored(message.body()));
        return renames;
    }

    /**
     * Blocking (a decode worker): each job under the name its content has now; the others, and those that
     * {@code lookUp} leaves out, unchanged. One Redis round trip for the jobs looked up, none when there are none, and
     * one more per rename of a renamed upload. When Redis does not answer, the jobs keep their names: a job whose file
     * was renamed then fails as a vanished file did before.
     */
    List<DetectionJob> locate(List<DetectionJob> jobs, Predicate<DetectionJob> lookUp) {
        List<DetectionJob> asked = jobs.stream().filter(lookUp).toList();
        if (asked.isEmpty()) {
            return jobs;
        }
        List<String> keys = asked.stream().map(job -> RedisKeys.renamedUpload(job.fileHash(), job.filePath())).toList();
        Response next;
        try {
            next = redis.mget(keys).await().atMost(REDIS_WAIT);
        } catch (RuntimeException e) {
            LOG.warn("Cannot look up renamed uploads ({}); {} job(s) keep their file names", e.getMessage(),
                    asked.size());
            return jobs;
        }
        Map<DetectionJob, DetectionJob> moved = new IdentityHashMap<>();
        for (int i = 0; i < asked.size(); i++) {
            DetectionJob job = asked.get(i);
            Response renamedTo = next == null ? null : next.get(i);
            if (renamedTo != null) {
                String name = newestName(job, renamedTo.toString());
                LOG.debug("{} was renamed since it was queued: detected as {}", job.filePath(), name);
                moved.put(job, job.withFilePath(name));
            }
        }
        return jobs.stream().map(job -> moved.getOrDefault(job, job)).toList();
    }

    /** Blocking: the job's file is gone; the job under the name its content has now, if it was renamed since. */
    DetectionJob relocate(DetectionJob queued) {
        return locate(List.of(queued), job -> true).get(0);
    }

    /**
     * Follows the renames of the job's content from its first new name, and picks the newest name that exists: a
     * rename announced but not yet made (or refused) leaves the file under the name before.
     */
    private String newestName(DetectionJob job, String first) {
        List<String> names = new ArrayList<>(List.of(job.filePath(), first));
        Set<String> visited = new HashSet<>(names);
        try {
            for (int hop = 1; hop < MAX_HOPS; hop++) {
                Response next = redis.get(RedisKeys.renamedUpload(job.fileHash(), names.get(names.size() - 1)))
                        .await().atMost(REDIS_WAIT);
                if (next == null || !visited.add(next.toString())) {
                    break;
                }
                names.add(next.toString());
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot follow the renames of {} past {} ({})", job.filePath(), names.get(names.size() - 1),
                    e.getMessage());
        }
        for (int i = names.size() - 1; i >= 0; i--) {
            if (Files.exists(Path.of(names.get(i)))) {
                return names.get(i);
            }
        }
        return names.get(names.size() - 1);
    }

    /** The ingest stage reports a rename: remember it, move what is stored under the old name, say what moved. */
    private void renamed(Message<UploadRenamed> message) {
        UploadRenamed renamed = message.body();
        handled.computeIfAbsent(renamed.fromPath(), path -> recentContents())
                .put(renamed.fileHash(), renamed.toPath());
        // the content now lives under the new name: an older rename away from that name no longer applies
        Map<String, String> fromNewName = handled.get(renamed.toPath());
        if (fromNewName != null) {
            fromNewName.remove(renamed.fileHash());
        }
        move(renamed.fromPath(), renamed.fileHash()).subscribe().with(moved -> {
            LOG.debug("{} renamed to {}: {} detection(s) and {} upload record(s) moved", renamed.fromPath(),
                    renamed.toPath(), moved.detections(), moved.uploads());
            message.reply(moved);
        }, failure -> {
            LOG.warn("Could not move the records of {} to its new name {}: {}", renamed.fromPath(), renamed.toPath(),
                    failure.getMessage());
            message.fail(BusError.FAILED.code(), "moving the records of " + renamed.fromPath() + " failed: "
                    + failure.getMessage());
        });
    }

    /** A camera may reuse one temporary name for every upload: only its latest few contents can be mid-store. */
    private static Map<String, String> recentContents() {
        return new LinkedHashMap<>(4, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > CONTENTS_PER_NAME;
            }
        };
    }

    /** Rows just committed under a name whose rename was handled meanwhile follow it. */
    private void stored(DetectionsStored stored) {
        Map<String, String> renamedContents = handled.get(stored.filePath());
        if (renamedContents == null) {
            return;
        }
        for (String hash : List.copyOf(renamedContents.keySet())) {
            move(stored.filePath(), hash).subscribe().with(
                    moved -> LOG.debug("{} detection(s) of {} stored during its rename moved", moved.detections(),
                            stored.filePath()),
                    failure -> LOG.warn("Could not move the detections of {} stored during its rename: {}",
                            stored.filePath(), failure.getMessage()));
        }
    }

    /** Moves the records of one content under one name to the newest name this process knows for it. */
    private Uni<MovedRecords> move(String fromPath, String fileHash) {
        String toPath = fromPath;
        Set<String> visited = new HashSet<>();
        for (int hop = 0; hop < MAX_HOPS && visited.add(toPath); hop++) {
            Map<String, String> renamedContents = handled.get(toPath);
            String next = renamedContents == null ? null : renamedContents.get(fileHash);
            if (next == null) {
                break;
            }
            toPath = next;
        }
        return pool.preparedQuery(DetectionSql.MOVE_RENAMED_UPLOAD).execute(Tuple.of(fromPath, toPath, fileHash))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new MovedRecords(row.getInteger("detections"), row.getInteger("uploads"));
                });
    }
}
