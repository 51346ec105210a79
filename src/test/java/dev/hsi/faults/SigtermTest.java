package dev.hsi.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.infra.EmbeddedPostgresServer;
import dev.hsi.infra.EmbeddedRedisServer;
import dev.hsi.support.Db;
import dev.hsi.support.Eventually;
import dev.hsi.support.InFlight;
import dev.hsi.support.ServerProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** A graceful stop: SIGTERM while jobs wait and run. */
class SigtermTest {

    private static final int IMAGES = 40;

    @TempDir
    Path root;

    @AfterEach
    void stopLeftovers() throws IOException {
        ServerProcess.stopLeftovers(root.resolve("data"));
        ServerProcess.keepLog(root.resolve("data"), "SigtermTest");
    }

    @Test
    @DisplayName("SIGTERM while jobs are queued and in hand: intake stops, the process exits with status 0, no job is"
            + " left in a processing list, and every image is stored, queued or dead-lettered")
    void sigtermStopsGracefully() throws Exception {
        Path dataDir = root.resolve("data");
        Path basePath = dataDir.resolve("foscam");
        List<Uploads.Image> images = Uploads.prepare(root.resolve("images"), IMAGES);
        int status;
        try (ServerProcess server = ServerProcess.start(dataDir, Map.of("SHUTDOWN_TIMEOUT_SECONDS", "1"))) {
            Uploads.uploadAll(server.ftpPort(), images, 4);
            Db db = new Db(server.database());
            try (Jedis redis = new Jedis("127.0.0.1", server.redisPort())) {
                Eventually.await(Duration.ofSeconds(60), "some images detected while others still wait", () ->
                        db.count("SELECT count(DISTINCT file_path) FROM detections") >= 3
                                && redis.llen("detection_queue") + InFlight.count(redis, "detection_queue") > 0);
            }
            status = server.terminate(Duration.ofSeconds(60));
            assertThat(server.logText()).contains("Intake stopped").contains("HSI stopped in");
        }
        assertThat(status).as("exit status after SIGTERM").isZero();

        // look at what the stopped server left, with its own data directories
        try (EmbeddedRedisServer redisServer = EmbeddedRedisServer.start(dataDir.resolve("redis"));
                EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"));
                Jedis redis = new Jedis("127.0.0.1", redisServer.port())) {
            assertThat(InFlight.jobs(redis, "detection_queue")).as("detection jobs left in processing").isEmpty();
            assertThat(InFlight.jobs(redis, "analysis_queue")).as("analysis jobs left in processing").isEmpty();
            Set<String> accounted = new HashSet<>();
            new Db(postgres.endpoint()).rows("SELECT DISTINCT file_path FROM detections")
                    .forEach(row -> accounted.add((String) row.get("file_path")));
            redis.lrange("detection_queue", 0, -1)
                    .forEach(job -> accounted.add(new JsonObject(job).getString("file_path")));
            redis.lrange("dlq:detection_queue", 0, -1).forEach(entry ->
                    accounted.add(new JsonObject(entry).getJsonObject("original_job").getString("file_path")));
            assertThat(images).as("images neither stored, queued nor dead-lettered")
                    .filteredOn(image -> !accounted.contains(image.onServer(basePath).toString()))
                    .isEmpty();
        }
    }
}
