package dev.hsi.ingest;

import dev.hsi.bus.Addresses;
import dev.hsi.bus.MovedRecords;
import dev.hsi.bus.RedisKeys;
import dev.hsi.bus.UploadRenamed;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.redis.client.RedisAPI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the ingest stage tells the others when an upload is renamed over FTP (decision 0015): before the file moves,
 * where its content is going ({@code renamed:{sha256}:{old path}}, read by the detect stage to find a job's file);
 * after it moved, that it did ({@link UploadRenamed} to the detect stage, which moves its records), and the dedupe
 * sighting of the content follows the file.
 */
final class UploadRenames {

    private static final Logger LOG = LoggerFactory.getLogger(UploadRenames.class);

    /** KEYS[1] a key, ARGV[1] a value: deletes the key only while it holds that value. */
    static final String DELETE_IF_HOLDS =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
    /**
     * KEYS[1] the rename of the content under its old name, KEYS[2] under its new name; ARGV[1] the new name, ARGV[2]
     * the TTL. A rename away from the new name is history once the content is back there (a then b then a again).
     */
    private static final String ANNOUNCE =
            "redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) redis.call('DEL', KEYS[2]) return 1";
    /** KEYS[1] a dedupe key, ARGV[1] the old name, ARGV[2] the new: 1 when the sighting named the old name. */
    private static final String MOVE_SIGHTING = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') return 1 end return 0";

    /** How long an FTP rename waits for Redis to record where the upload goes before it goes ahead anyway. */
    private static final Duration ANNOUNCE_TIMEOUT = Duration.ofSeconds(5);

    private final RedisAPI redis;
    private final EventBus bus;
    private final Context context;

    /** @param context the ingest verticle's: the Redis calls of FTP threads are made there */
    UploadRenames(RedisAPI redis, EventBus bus, Context context) {
        this.redis = redis;
        this.bus = bus;
        this.context = context;
    }

    /**
     * FTP thread, before a file moves: when it is an upload (an accepted type), hashes it and records in Redis where
     * its content is going, and returns only then, so that the detect stage, finding the old name gone, always finds
     * the new one. Returns the content's hash; null for what is not followed (a temporary name such as
     * {@code x.jpg.part}, a folder, an unreadable file), whose new name is a new upload.
     */
    String announceAndWait(Path from, Path to) {
        if (!UploadValidator.isAcceptedType(from) || !Files.isRegularFile(from)) {
            return null;
        }
        String hash;
        try {
            hash = UploadValidator.sha256(from);
        } catch (RuntimeException e) {
            LOG.warn("Cannot read {} before its rename to {} ({}): the new name is ingested as a new upload", from, to,
                    e.getMessage());
            return null;
        }
        CompletableFuture<Void> announced = new CompletableFuture<>();
        context.runOnContext(v -> announce(hash, from, to)
                .subscribe().with(announced::complete, announced::completeExceptionally));
        try {
            announced.get(ANNOUNCE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Could not record the rename of {} to {} in Redis ({}): a job queued under the old name may fail"
                    + " as a vanished file", from, to, e.getCause() != null ? e.getCause().getMessage() : "timed out");
        }
        return hash;
    }

    /** Before the file moves: its content ({@code sha256}) is going from {@code from} to {@code to}. */
    private Uni<Void> announce(String sha256, Path from, Path to) {
        return redis.eval(List.of(ANNOUNCE, "2", RedisKeys.renamedUpload(sha256, from.toString()),
                        RedisKeys.renamedUpload(sha256, to.toString()), to.toString(),
                        String.valueOf(RedisKeys.RENAMED_UPLOAD_TTL_SECONDS)))
                .replaceWithVoid();
    }

    /** The rename was refused: the content stays where it was. */
    Uni<Void> withdraw(String sha256, Path from, Path to) {
        return redis.eval(List.of(DELETE_IF_HOLDS, "1", RedisKeys.renamedUpload(sha256, from.toString()),
                        to.toString()))
                .replaceWithVoid();
    }

    /**
     * After the file moved: the detect stage moves the records of its content, and the content's dedupe sighting
     * names the new file. True when the content had been queued or processed under the old name (it has records, or
     * the sighting named that name); false when this rename is the first the pipeline hears of it. Never fails: what
     * cannot be told counts as unknown.
     */
    Uni<Boolean> follow(String sha256, Path from, Path to) {
        Uni<Boolean> sighted = redis.eval(List.of(MOVE_SIGHTING, "1", RedisKeys.dedupe(sha256), from.toString(),
                        to.toString()))
                .map(moved -> moved != null && moved.toInteger() == 1)
                .onFailure().invoke(failure -> LOG.warn("Could not move the dedupe sighting of {} to {}: {}", from, to,
                        failure.getMessage()))
                .onFailure().recoverWithItem(false);
        Uni<Boolean> processed = bus.<MovedRecords>request(Addresses.UPLOAD_RENAMED,
                        new UploadRenamed(from.toString(), to.toString(), sha256))
                .map(reply -> reply.body().any())
                .onFailure().invoke(failure -> LOG.warn(
                        "The records of {} may still name it after its rename to {}: {}", from, to,
                        failure.getMessage()))
                .onFailure().recoverWithItem(false);
        return Uni.combine().all().unis(sighted, processed).with((queued, stored) -> queued || stored);
    }
}
