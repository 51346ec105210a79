package dev.hsi.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.detect.DetectionRepository.Stored;
import dev.hsi.detect.DetectionRepository.Upload;
import dev.hsi.metrics.StageTimings;
import dev.hsi.support.Db;
import dev.hsi.support.MigratedPostgres;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detect stage's grouped write on real PostgreSQL, through a pool built as the server builds the writer's
 * (generic plans): a group's uploads and their {@code processed_uploads} rows in one statement, once per upload.
 */
class GroupWriteTest {

    @TempDir
    static Path dataDir;
    static Vertx vertx;
    static MigratedPostgres postgres;
    static Pool writerPool;
    static Db db;
    static DetectionRepository repository;
    private static final AtomicInteger FILES = new AtomicInteger();
    private static final Instant NOW = Instant.parse("2026-03-15T12:00:00.123456Z");

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        postgres = MigratedPostgres.start(dataDir.resolve("pg"), vertx);
        writerPool = Pool.newInstance(PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
                .connectingTo(postgres.endpoint().genericPlanConnectOptions()).using(vertx.getDelegate()).build());
        db = postgres.db();
        db.rows("SELECT hsi_create_monthly_partitions('detections', 4, '2026-02-01')");
        db.update("INSERT INTO cameras (id, name, folder_path) VALUES ('cam01', 'Front', '/data/cam01'),"
                + " ('cam02', 'Back', '/data/cam02')");
        repository = new DetectionRepository(writerPool);
    }

    @AfterAll
    static void stop() {
        writerPool.closeAndAwait();
        postgres.close();
        vertx.closeAndAwait();
    }

    @Test
    @DisplayName("A group's uploads are stored in one go: each upload's rows in object order, zones and media kept")
    void storesEveryUploadOfAGroup() {
        Upload threeObjects = upload("cam01", NOW, List.of("person", "car", "dog"),
                List.of(List.of("zone-a"), List.of(), List.of("zone-a", "zone,b {\"odd\"}")));
        Upload nothingKept = upload("cam02", NOW.plusSeconds(1), List.of(), List.of());
        Upload clip = new Upload("cam02", nextPath("cam02"), "hash-clip", NOW.minusSeconds(1),
                new MediaInfo("video", "video/mp4", 9.5, "h264", 1280, 720),
                List.of(new FoundObject(new DetectedObject("person", 0.7, 10, 20, 30, 40), 2.5, 1280, 720)),
                List.of(List.of("zone-c")));

        List<List<Stored>> rows = store(List.of(threeObjects, nothingKept, clip));

        assertThat(rows).hasSize(3);
        assertThat(types(rows.get(0))).containsExactly("person", "car", "dog");
        assertThat(rows.get(1)).isEmpty();
        assertThat(types(rows.get(2))).containsExactly("person");
        assertThat(rows.get(2).get(0).frameOffsetSeconds()).isEqualTo(2.5);
        assertThat(rows.get(0).get(1).box()).isEqualTo(threeObjects.found().get(1).object());
        assertThat(rows.get(0)).allSatisfy(row -> {
            assertThat(row.detection().cameraId()).isEqualTo("cam01");
            assertThat(row.detection().detectedAt()).isEqualTo(NOW);
        });

        List<Map<String, Object>> stored = db.rows("SELECT object_type, object_index, zone_ids::text AS zones"
                + " FROM detections WHERE file_path = ? ORDER BY object_index", threeObjects.filePath());
        assertThat(stored).extracting(row -> row.get("object_type") + "#" + row.get("object_index") + " "
                + row.get("zones")).containsExactly("person#0 {zone-a}", "car#1 {}",
                "dog#2 {zone-a,\"zone,b {\\\"odd\\\"}\"}");
        assertThat(db.rows("SELECT media_type, duration, video_codec, video_width, video_height, zone_ids::text AS z"
                + " FROM detections WHERE file_path = ?", clip.filePath()).get(0))
                .containsEntry("media_type", "video").containsEntry("duration", 9.5)
                .containsEntry("video_codec", "h264").containsEntry("video_width", 1280)
                .containsEntry("z", "{zone-c}");
        assertThat(processed(threeObjects)).isEqualTo(3);
        assertThat(processed(nothingKept)).isZero();
        assertThat(processed(clip)).isEqualTo(1);
    }

    @Test
    @DisplayName("Running a group again returns its first run's rows with their ids and writes nothing")
    void secondRunOfAGroupWritesNothing() {
        List<Upload> group = List.of(upload("cam01", NOW, List.of("person", "car"), noZones(2)),
                upload("cam02", NOW, List.of(), List.of()), upload("cam02", NOW.plusMillis(5), List.of("cat"),
                        noZones(1)));
        List<List<Stored>> first = store(group);
        long detections = db.count("SELECT count(*) FROM detections");
        long uploads = db.count("SELECT count(*) FROM processed_uploads");
        Object processedAt = db.rows("SELECT max(processed_at) AS at FROM processed_uploads").get(0).get("at");

        List<List<Stored>> second = store(group);

        assertThat(ids(second)).isEqualTo(ids(first));
        assertThat(db.count("SELECT count(*) FROM detections")).isEqualTo(detections);
        assertThat(db.count("SELECT count(*) FROM processed_uploads")).isEqualTo(uploads);
        assertThat(db.rows("SELECT max(processed_at) AS at FROM processed_uploads").get(0).get("at"))
                .isEqualTo(processedAt);
    }

    @Test
    @DisplayName("In a group mixing a stored and a new upload, the stored one gets its rows back, the new one is written")
    void mixedGroup() {
        Upload earlier = upload("cam01", NOW.minusSeconds(3600 * 24 * 20), List.of("person", "dog"), noZones(2));
        List<Long> earlierIds = ids(store(List.of(earlier))).get(0);
        // the detector may not find exactly the same on a rerun: the first run's rows are the upload's rows
        Upload rerun = new Upload(earlier.cameraId(), earlier.filePath(), earlier.fileHash(), earlier.detectedAt(),
                earlier.media(), objects(List.of("car")), noZones(1));
        Upload fresh = upload("cam02", NOW, List.of("truck", "person"), noZones(2));

        List<List<Stored>> rows = store(List.of(fresh, rerun));

        assertThat(ids(rows).get(1)).isEqualTo(earlierIds);
        assertThat(types(rows.get(1))).containsExactly("person", "dog");
        assertThat(types(rows.get(0))).containsExactly("truck", "person");
        assertThat(db.count("SELECT count(*) FROM detections WHERE file_path = ?", earlier.filePath())).isEqualTo(2);
        assertThat(processed(fresh)).isEqualTo(2);
        assertThat(processed(earlier)).isEqualTo(2);
    }

    @Test
    @DisplayName("One job claimed twice in a group, or two groups storing it at once: one set of rows, returned to all")
    void sameUploadTwice() {
        Upload twice = upload("cam01", NOW, List.of("person", "car"), noZones(2));
        Upload other = upload("cam02", NOW, List.of("dog"), noZones(1));

        List<List<Stored>> inOneGroup = store(List.of(twice, other, twice));
        assertThat(ids(inOneGroup).get(2)).isEqualTo(ids(inOneGroup).get(0)).hasSize(2);

        Upload concurrent = upload("cam02", NOW.plusSeconds(2), List.of("person", "person", "car"), noZones(3));
        Upload neighbourA = upload("cam01", NOW.plusSeconds(1), List.of("cat"), noZones(1));
        Upload neighbourB = upload("cam01", NOW.plusSeconds(3), List.of("bicycle"), noZones(1));
        List<List<List<Stored>>> both = Uni.join().all(repository.store(List.of(neighbourA, concurrent)),
                repository.store(List.of(concurrent, neighbourB))).andFailFast().await().indefinitely();
        assertThat(ids(both.get(1)).get(0)).isEqualTo(ids(both.get(0)).get(1)).hasSize(3);
        assertThat(db.count("SELECT count(*) FROM detections WHERE file_path = ?", concurrent.filePath()))
                .isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM detections WHERE file_path IN (?, ?)", neighbourA.filePath(),
                neighbourB.filePath())).isEqualTo(2);
    }

    @Test
    @DisplayName("When the group's statement fails, each upload is stored on its own and only the bad one fails")
    void oneBadUploadFailsAlone() {
        Upload good = upload("cam01", NOW, List.of("person"), noZones(1));
        Upload unknownCamera = upload("cam99", NOW, List.of("car"), noZones(1));
        Upload alsoGood = upload("cam02", NOW, List.of(), List.of());

        List<GroupWriter.Outcome> outcomes = new GroupWriter(repository, new StageTimings())
                .store(List.of(good, unknownCamera, alsoGood)).await().indefinitely();

        assertThat(outcomes.get(0).failure()).isNull();
        assertThat(types(outcomes.get(0).rows())).containsExactly("person");
        assertThat(outcomes.get(1).failure()).hasMessageContaining("detections_camera_id_fkey");
        assertThat(outcomes.get(2).failure()).isNull();
        assertThat(outcomes.get(2).rows()).isEmpty();
        assertThat(processed(good)).isEqualTo(1);
        assertThat(processed(alsoGood)).isZero();
        assertThat(db.count("SELECT count(*) FROM processed_uploads WHERE file_path = ?", unknownCamera.filePath()))
                .isZero();
    }

    private static List<List<Stored>> store(List<Upload> group) {
        return repository.store(group).await().indefinitely();
    }

    private static Upload upload(String camera, Instant at, List<String> types, List<List<String>> zones) {
        String path = nextPath(camera);
        return new Upload(camera, path, "hash-" + path.hashCode(), at, MediaInfo.image("image/jpeg"), objects(types),
                zones);
    }

    private static String nextPath(String camera) {
        return "/data/" + camera + "/snap-" + FILES.incrementAndGet() + ".jpg";
    }

    private static List<FoundObject> objects(List<String> types) {
        List<FoundObject> found = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            found.add(new FoundObject(new DetectedObject(types.get(i), 0.8 + i * 0.05, 1 + i, 2 + i, 30 + 10 * i,
                    40 + 10 * i), null, 1920, 1080));
        }
        return found;
    }

    private static List<List<String>> noZones(int objects) {
        return Collections.nCopies(objects, List.of());
    }

    private static long processed(Upload upload) {
        return db.count("SELECT object_count FROM processed_uploads WHERE file_path = ? AND uploaded_at = ?",
                upload.filePath(), upload.detectedAt().atOffset(ZoneOffset.UTC));
    }

    private static List<String> types(List<Stored> rows) {
        return rows.stream().map(row -> row.detection().objectType()).toList();
    }

    private static List<List<Long>> ids(List<List<Stored>> rows) {
        return rows.stream().map(upload -> upload.stream().map(row -> row.detection().id()).toList()).toList();
    }
}
