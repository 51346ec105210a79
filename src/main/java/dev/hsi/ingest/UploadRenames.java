package dev.hsi.ingest;

import dev.hsi.bus.Addresses;
import dev.hsi.bus.MovedRecords;
import dev.hsi.bus.RedisKeys;
import dev.hsi.bus.UploadRenamed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.redis.client.RedisAPI;
import java.nio.file.Path;
import java.util.List;
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

    private final RedisAPI redis;
    private final EventBus bus;

    UploadRenames(RedisAPI redis, EventBus bus) {
        this.redis = redis;
        this.bus = bus;
    }

    /** Before the file moves: its content ({@code sha256}) is going from {@code from} to {@code to}. */
    Uni<Void> announce(String sha256, Path from, Path to) {
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
                .onFailure().invoke(failure -> LOG.warn("The records of {} may still name it after its rename to {}: {}",
                        from, to, failure.getMessage()))
                .onFailure().recoverWithItem(false);
        return Uni.combine().all().unis(sighted, processed).with((queued, stored) -> queued || stored);
    }
}
