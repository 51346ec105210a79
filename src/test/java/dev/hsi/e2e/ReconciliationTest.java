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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reconciliation picks up what was never processed, and only that. */
class ReconciliationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    @DisplayName("After a restart with Redis wiped, a file that arrived while the server was down is detected, and an upload that kept nothing is not processed again")
    void onlyUnprocessedFilesAreQueuedAgain() throws Exception {
        Map<String, String> env = TestEnv.pipeline(dataDir);
        try (HsiServer server = HsiServer.start(TestEnv.config(env))) {
            new Ftp(server.ftpPort(), "cam", "secret").upload(Images.HORSES, "Yard", "horses.jpg");
            Db db = new Db(server.database());
            Eventually.await(TIMEOUT, "horses.jpg to be processed (it keeps no object: horses are not kept)",
                    () -> db.count("SELECT count(*) FROM processed_uploads WHERE file_path LIKE '%Yard/horses.jpg'") == 1);
            assertThat(db.count("SELECT object_count FROM processed_uploads WHERE file_path LIKE '%Yard/horses.jpg'"))
                    .isZero();
        }
        // while the server is down: a camera's file lands by other means, and Redis loses everything
        byte[] photo = Files.readAllBytes(Images.DOG);
        Files.write(dataDir.resolve("foscam/Yard/while-down.jpg"), Arrays.copyOf(photo, photo.length + 8));
        try (Stream<Path> redisFiles = Files.walk(dataDir.resolve("redis"))) {
            for (Path file : redisFiles.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }

        try (LogCapture log = new LogCapture(Reconciler.class);
                HsiServer server = HsiServer.start(TestEnv.config(env))) {
            Db db = new Db(server.database());
            Eventually.await(TIMEOUT, "the file that arrived while the server was down to be detected",
                    () -> db.count("SELECT count(*) FROM detections WHERE file_path LIKE '%Yard/while-down.jpg'") >= 3);
            Eventually.await(TIMEOUT, "a reconciliation pass to finish",
                    () -> !log.messagesContaining("Reconciliation (").isEmpty());
            // a marker queued after the pass: once it is detected, anything the pass queued was detected before it
            new Ftp(server.ftpPort(), "cam", "secret").upload(Images.EAGLE, "Yard", "marker.jpg");
            Eventually.await(TIMEOUT, "the marker to be processed",
                    () -> db.count("SELECT count(*) FROM processed_uploads WHERE file_path LIKE '%Yard/marker.jpg'") == 1);

            assertThat(server.timings().snapshot().getJsonObject("inference").getInteger("sample_count"))
                    .as("two images detected: the one that arrived while down and the marker, not horses.jpg again")
                    .isEqualTo(2);
            assertThat(db.count("SELECT count(*) FROM processed_uploads WHERE file_path LIKE '%Yard/horses.jpg'"))
                    .isEqualTo(1);
        }
    }
}
