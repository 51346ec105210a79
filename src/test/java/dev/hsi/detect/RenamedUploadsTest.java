package dev.hsi.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.bus.Addresses;
import dev.hsi.bus.DetectionJob;
import dev.hsi.bus.DetectionsStored;
import dev.hsi.bus.MovedRecords;
import dev.hsi.bus.RecordCodec;
import dev.hsi.bus.RedisKeys;
import dev.hsi.bus.UploadRenamed;
import dev.hsi.infra.EmbeddedServers;
import dev.hsi.support.Db;
import dev.hsi.support.Eventually;
import dev.hsi.support.MigratedPostgres;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

/**
 * The detect stage's side of a renamed upload, on real PostgreSQL and Redis: where a job's file is looked for, and
 * how stored records follow the file, including rows committed while the rename is being handled.
 */
class RenamedUploadsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Instant UPLOADED_AT = Instant.parse("2026-11-20T10:00:00Z");

    @TempDir
    static Path dataDir;
    @TempDir
    static Path folder;
    static Vertx vertx;
    static RedisServer redisServer;
    static RedisAPI redis;
    static MigratedPostgres postgres;
    static Db db;
    static RenamedUploads renames;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        RecordCodec.install(vertx.eventBus().getDelegate());
        redisServer = EmbeddedServers.startRedis(dataDir.resolve("redis"));
        redis = RedisAPI.api(Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(EmbeddedServers.redisUrl(redisServer))));
        postgres = MigratedPostgres.start(dataDir.resolve("pg"), vertx);
        db = postgres.db();
        db.update("INSERT INTO cameras (id, name, folder_path) VALUES ('yard', 'Yard', ?)", folder.toString());
        // as in the detect verticle: both handlers on one context, one after the other
        CompletableFuture<RenamedUploads> started = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(() -> started.complete(RenamedUploads.start(vertx, postgres.pool(), redis)));
        renames = started.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
        vertx.closeAndAwait();
        redisServer.stop();
    }

    @Test
    @DisplayName("A job is looked for under the newest existing name its content was renamed to; other contents and unrenamed jobs keep their names")
    void jobsAreLocatedUnderTheNameTheirContentHasNow() throws IOException {
        Path temporary = folder.resolve("tmp_1.jpg");
        Path renamed = Files.createFile(folder.resolve("final-1.jpg"));
        announce("h1", temporary, renamed);
        // renamed twice, the second rename announced but not made yet: the file is still under the middle name
        Path middle = Files.createFile(folder.resolve("middle.jpg"));
        announce("h2", folder.resolve("tmp_2.jpg"), middle);
        announce("h2", middle, folder.resolve("final-2.jpg"));

        List<DetectionJob> located = renames.locate(List.of(job("h1", temporary), job("h2", folder.resolve("tmp_2.jpg")),
                job("other content", temporary), job("h3", folder.resolve("plain.jpg"))), job -> true);

        assertThat(located).extracting(DetectionJob::filePath).containsExactly(renamed.toString(), middle.toString(),
                temporary.toString(), folder.resolve("plain.jpg").toString());
        assertThat(located.get(0).uploadedAt()).as("the same job, only found elsewhere").isEqualTo(UPLOADED_AT);
        assertThat(renames.relocate(job("h1", temporary)).filePath()).isEqualTo(renamed.toString());
        assertThat(renames.locate(List.of(job("h1", temporary), job("h2", folder.resolve("tmp_2.jpg"))),
                        job -> job.fileHash().equals("h2")))
                .as("a job left out of the look-up keeps its name").extracting(DetectionJob::filePath)
                .containsExactly(temporary.toString(), middle.toString());
    }

    @Test
    @DisplayName("The records of the renamed content move to the new name and the reply counts them; another content under the old name stays")
    void storedRecordsOfTheRenamedContentMove() {
        String from = folder.resolve("tmp_3.jpg").toString();
        String to = folder.resolve("final-3.jpg").toString();
        insertDetections(from, "h3", 2, UPLOADED_AT);
        insertDetections(from, "older content", 1, UPLOADED_AT.minusSeconds(3600));

        MovedRecords moved = rename(from, to, "h3");

        assertThat(moved).isEqualTo(new MovedRecords(2, 1));
        assertThat(moved.any()).isTrue();
        assertThat(db.count("SELECT count(*) FROM detections WHERE file_path = ? AND file_hash = 'h3'", to)).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM processed_uploads WHERE file_path = ?", to)).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM detections WHERE file_path = ?", from)).as("the older content")
                .isEqualTo(1);
        assertThat(rename(folder.resolve("never-seen.jpg").toString(), to, "h4").any()).isFalse();
    }

    @Test
    @DisplayName("Rows committed under the old name after its rename was handled follow it once they are announced")
    void rowsStoredDuringTheRenameFollowIt() {
        String from = folder.resolve("tmp_5.jpg").toString();
        String middle = folder.resolve("middle-5.jpg").toString();
        String to = folder.resolve("final-5.jpg").toString();
        assertThat(rename(from, middle, "h5").any()).as("nothing stored yet").isFalse();
        assertThat(rename(middle, to, "h5").any()).isFalse();

        insertDetections(from, "h5", 3, UPLOADED_AT);
        vertx.eventBus().publish(Addresses.DETECTIONS_STORED, new DetectionsStored("yard", from, List.of(), UPLOADED_AT));

        Eventually.await(WAIT, "the rows to follow both renames",
                () -> db.count("SELECT count(*) FROM detections WHERE file_path = ?", to) == 3);
        assertThat(db.count("SELECT count(*) FROM processed_uploads WHERE file_path = ?", to)).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM detections WHERE file_path IN (?, ?)", from, middle)).isZero();
    }

    private static void announce(String hash, Path from, Path to) {
        redis.set(List.of(RedisKeys.renamedUpload(hash, from.toString()), to.toString())).await().atMost(WAIT);
    }

    private static MovedRecords rename(String from, String to, String hash) {
        return vertx.eventBus().<MovedRecords>request(Addresses.UPLOAD_RENAMED, new UploadRenamed(from, to, hash))
                .await().atMost(WAIT).body();
    }

    private static DetectionJob job(String hash, Path file) {
        return new DetectionJob("yard", file.toString(), UPLOADED_AT, "image", UPLOADED_AT, hash);
    }

    /** One upload's rows as the detect stage stores them: one per object, and its processed-upload record. */
    private static void insertDetections(String file, String hash, int objects, Instant uploadedAt) {
        OffsetDateTime at = uploadedAt.atOffset(ZoneOffset.UTC);
        for (int i = 0; i < objects; i++) {
            db.update("INSERT INTO detections (camera_id, file_path, file_hash, detected_at, object_type, confidence,"
                    + " object_index) VALUES ('yard', ?, ?, ?, 'dog', 0.9, ?)", file, hash, at, i);
        }
        db.update("INSERT INTO processed_uploads (file_path, uploaded_at, file_hash, camera_id, object_count)"
                + " VALUES (?, ?, ?, 'yard', ?)", file, at, hash, objects);
    }
}
