package dev.hsi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.app.HsiServer;
import dev.hsi.recovery.Reconciler;
import dev.hsi.support.Db;
import dev.hsi.support.Eventually;
import dev.hsi.support.Ftp;
import dev.hsi.support.Images;
import dev.hsi.support.LogCapture;
import dev.hsi.support.TestEnv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renamed uploads across a restart: reconciliation leaves them alone, and their records still follow a rename. */
class RenamedUploadRestartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;
    @TempDir
    Path scratch;

    @Test
    @DisplayName("After a restart, reconciliation does not detect a renamed upload again, and an image renamed once its dedupe sighting expired keeps its detections without being detected again")
    void renamedUploadsAreNotProcessedAgainAfterARestart() throws Exception {
        Map<String, String> env = TestEnv.pipeline(dataDir);
        env.put("DEDUPE_TTL_SECONDS", "1");
        long oldDetections;
        try (HsiServer server = HsiServer.start(TestEnv.config(env))) {
            Ftp ftp = new Ftp(server.ftpPort(), "cam", "secret");
            Db db = new Db(server.database());
            ftp.uploadThenRename(dogPhoto(1), "Porch", "tmp_2001.jpg", "final.jpg");
            ftp.upload(dogPhoto(2), "Porch", "old.jpg");
            Eventually.await(TIMEOUT, "both uploads to be processed", () -> db.count(
                    "SELECT count(*) FROM processed_uploads WHERE file_path IN (?, ?)", path("final.jpg"),
                    path("old.jpg")) == 2);
            oldDetections = db.count("SELECT count(*) FROM detections WHERE file_path = ?", path("old.jpg"));
            assertThat(oldDetections).as("car, bicycle and dog").isGreaterThanOrEqualTo(3);
        }

        try (LogCapture log = new LogCapture(Reconciler.class);
                HsiServer server = HsiServer.start(TestEnv.config(env))) {
            Ftp ftp = new Ftp(server.ftpPort(), "cam", "secret");
            Db db = new Db(server.database());
            Eventually.await(TIMEOUT, "the start-up reconciliation pass",
                    () -> !log.messagesContaining("Reconciliation (").isEmpty());

            // this process never ingested old.jpg and its dedupe sighting expired: only the detect stage knows it
            ftp.rename("Porch", "old.jpg", "kept.jpg");
            Eventually.await(TIMEOUT, "the detections of old.jpg to follow it to kept.jpg", () -> db.count(
                    "SELECT count(*) FROM detections WHERE file_path = ?", path("kept.jpg")) == oldDetections);
            // queued after the pass and the rename: once it is detected, anything they queued was detected before it
            ftp.upload(dogPhoto(3), "Porch", "marker.jpg");
            Eventually.await(TIMEOUT, "the marker to be processed", () -> db.count(
                    "SELECT count(*) FROM processed_uploads WHERE file_path = ?", path("marker.jpg")) == 1);

            assertThat(server.timings().snapshot().getJsonObject("inference").getInteger("sample_count"))
                    .as("only the marker was detected after the restart").isEqualTo(1);
            assertThat(db.count("SELECT count(*) FROM processed_uploads WHERE camera_id = 'porch'")).isEqualTo(3);
            for (String name : new String[] {"tmp_2001.jpg", "old.jpg"}) {
                assertThat(db.count("SELECT count(*) FROM detections WHERE file_path = ?", path(name))).isZero();
                assertThat(db.count("SELECT count(*) FROM processed_uploads WHERE file_path = ?", path(name))).isZero();
            }
            assertThat(db.count("SELECT count(*) FROM processed_uploads WHERE file_path IN (?, ?)", path("final.jpg"),
                    path("kept.jpg"))).isEqualTo(2);
        }
    }

    /** The dog photo with trailing zeros, as some cameras write: new content for each n. */
    private Path dogPhoto(int n) throws IOException {
        byte[] photo = Files.readAllBytes(Images.DOG);
        Path file = scratch.resolve("dog-" + n + ".jpg");
        Files.write(file, Arrays.copyOf(photo, photo.length + 200 + n));
        return file;
    }

    private String path(String name) {
        return dataDir.resolve("foscam/Porch").resolve(name).toString();
    }
}
