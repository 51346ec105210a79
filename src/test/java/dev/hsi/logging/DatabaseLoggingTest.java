package dev.hsi.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.app.HsiServer;
import dev.hsi.infra.PgEndpoint;
import dev.hsi.support.Api;
import dev.hsi.support.Db;
import dev.hsi.support.Eventually;
import dev.hsi.support.Ftp;
import dev.hsi.support.TestEnv;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own log lines in table {@code logs} and in the rolling log file, on whole servers: one copying lines
 * at WARNING and above into a small buffer, one with {@code LOG_DB_ENABLED=false}.
 */
class DatabaseLoggingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WarningsAndAbove {

        Path dataDir;
        HsiServer server;
        Api api;
        Db db;
        Ftp ftp;

        @BeforeAll
        void start(@TempDir Path dir) {
            dataDir = dir;
            Map<String, String> env = TestEnv.pipeline(dataDir);
            env.put("LOG_DB_MIN_LEVEL", "warning");
            env.put("LOG_DB_BUFFER_SIZE", "100");
            server = HsiServer.start(TestEnv.config(env));
            api = new Api(server.apiPort());
            db = new Db(server.database());
            ftp = new Ftp(server.ftpPort(), "cam", "secret");
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        @DisplayName("A rejected upload's warning is in GET /api/logs?source=backend&level=WARNING, component ingest, "
                + "and in the log file")
        void aStageWarningReachesTheTableAndTheFile() throws IOException {
            ftp.uploadBytes("this is not a picture\n".getBytes(), "Porch", "notes.jpg");

            JsonObject row = Eventually.await(TIMEOUT, "the rejection in /api/logs", () -> {
                JsonArray items = api.json("/api/logs?source=backend&level=WARNING&search=notes.jpg")
                        .getJsonArray("items");
                return items.isEmpty() ? null : items.getJsonObject(0);
            });
            assertThat(row.getString("message")).contains("Rejected upload").contains("Porch/notes.jpg");
            assertThat(row.getString("component")).isEqualTo("ingest");
            assertThat(row.getString("level")).isEqualTo("WARNING");
            assertThat(row.getString("source")).isEqualTo("backend");
            assertThat(row.getJsonObject("extra").getString("logger")).isEqualTo("dev.hsi.ingest.Ingestor");
            assertThat(row.getString("camera_id")).as("the camera the line is about, for the camera_id filter")
                    .isEqualTo("porch");
            assertThat(api.json("/api/logs?source=backend&camera_id=porch&search=notes.jpg").getJsonArray("items"))
                    .hasSize(1);
            assertThat(api.json("/api/logs?source=backend&camera_id=garage&search=notes.jpg").getJsonArray("items"))
                    .isEmpty();
            assertThat(api.json("/api/logs?source=backend&search=notes.jpg").getJsonArray("items")).hasSize(1);
            assertThat(logFile(dataDir.resolve("logs/security.log"))).contains("WARN").contains("Porch/notes.jpg");
        }

        @Test
        @DisplayName("Lines below LOG_DB_MIN_LEVEL stay out of the table but are in the file")
        void linesBelowTheMinimumStayInTheFileOnly() {
            assertThat(logFile(dataDir.resolve("logs/security.log"))).contains("INFO").contains("Deployed api verticle");
            Eventually.await(TIMEOUT, "some backend line in the table", () ->
                    db.count("SELECT count(*) FROM logs WHERE source = 'backend'") > 0 ? true : null);
            assertThat(db.count("SELECT count(*) FROM logs WHERE source = 'backend' AND level IN ('DEBUG', 'INFO')"))
                    .isZero();
        }

        @Test
        @DisplayName("A burst larger than the buffer, while the table is locked, drops and counts lines instead of "
                + "blocking the logging thread; nothing is lost uncounted")
        void aBurstLargerThanTheBufferIsDroppedAndCounted() throws SQLException {
            Logger burst = LoggerFactory.getLogger("dev.hsi.logging.Burst");
            int lines = 3_000;
            double droppedBefore = dropped(api);
            try (Connection lock = connect(server.database()); Statement statement = lock.createStatement()) {
                lock.setAutoCommit(false);
                statement.execute("LOCK TABLE logs IN ACCESS EXCLUSIVE MODE");
                for (int i = 0; i < lines; i++) {
                    burst.warn("burst line {}", i);
                }
                lock.rollback();
            }
            // the metric follows the writer's once-a-second count; the lines left in the buffer follow the lock
            long stored = Eventually.await(TIMEOUT, "every burst line written or counted as dropped", () -> {
                long count = db.count("SELECT count(*) FROM logs WHERE message LIKE 'burst line %'");
                return count + (dropped(api) - droppedBefore) >= lines ? count : null;
            });
            assertThat(dropped(api) - droppedBefore).isPositive();
            assertThat(stored).isPositive().isLessThan(lines);
            assertThat(db.count("SELECT count(DISTINCT message) FROM logs WHERE message LIKE 'burst line %'"))
                    .isEqualTo(stored);
            assertThat(db.rows("SELECT DISTINCT component FROM logs WHERE message LIKE 'burst line %'"))
                    .singleElement().isEqualTo(Map.of("component", "logging"));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class DatabaseCopyOff {

        Path dataDir;
        HsiServer server;

        @BeforeAll
        void start(@TempDir Path dir) {
            dataDir = dir;
            Map<String, String> env = TestEnv.pipeline(dataDir);
            env.put("LOG_DB_ENABLED", "false");
            env.put("LOG_FILE_PATH", dataDir.resolve("elsewhere/hsi.log").toString());
            server = HsiServer.start(TestEnv.config(env));
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        @DisplayName("With LOG_DB_ENABLED=false no backend line is written; LOG_FILE_PATH names the file")
        void nothingIsWritten() throws IOException, InterruptedException {
            new Ftp(server.ftpPort(), "cam", "secret").uploadBytes("not a picture".getBytes(), "Shed", "text.jpg");
            Path file = dataDir.resolve("elsewhere/hsi.log");
            Eventually.await(TIMEOUT, "the rejection in " + file, () -> logFile(file).contains("Shed/text.jpg"));
            Thread.sleep(2_000); // two flush intervals of an enabled writer: its lines would be there by now
            assertThat(new Db(server.database()).count("SELECT count(*) FROM logs WHERE source = 'backend'")).isZero();
            assertThat(new Api(server.apiPort()).get("/api/metrics").body())
                    .doesNotContain(DatabaseLogWriter.DROPPED_METRIC);
        }
    }

    private static double dropped(Api api) {
        Matcher matcher = Pattern.compile(DatabaseLogWriter.DROPPED_METRIC + "\\{reason=\"buffer_full\"} (\\S+)")
                .matcher(api.get("/api/metrics").body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static String logFile(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Connection connect(PgEndpoint endpoint) throws SQLException {
        return DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.user(), endpoint.password());
    }
}
