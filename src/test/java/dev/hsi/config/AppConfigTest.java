package dev.hsi.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AppConfigTest {

    @Test
    @DisplayName("An empty environment starts with the original system's defaults")
    void emptyEnvironmentGivesDefaults() {
        AppConfig config = AppConfig.fromEnv(Map.of());

        Path dataDir = Path.of("data").toAbsolutePath().normalize();
        assertThat(config.api().port()).isEqualTo(8000);
        assertThat(config.ingest().ftpPort()).isEqualTo(2121);
        assertThat(config.storage().dataDir()).isAbsolute().isEqualTo(dataDir);
        assertThat(config.ingest().basePath()).isEqualTo(dataDir.resolve("foscam"));
        assertThat(config.batch().window()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.batch().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.detect().confidenceThreshold()).isEqualTo(0.5);
        assertThat(config.batch().fastPathConfidence()).isEqualTo(0.9);
        assertThat(config.batch().fastPathObjectTypes()).containsExactly("person");
        assertThat(config.ingest().dedupeTtlSeconds()).isEqualTo(300);
        assertThat(config.storage().databaseUrl()).isEmpty();
        assertThat(config.storage().redisUrl()).isEmpty();
    }

    @Test
    @DisplayName("Without FTP_USERS the well-known default camera account is used and flagged so start-up can warn")
    void defaultFtpAccountIsFlagged() {
        IngestConfig ingest = AppConfig.fromEnv(Map.of()).ingest();

        assertThat(ingest.defaultFtpAccount()).isTrue();
        assertThat(ingest.ftpAccounts()).containsExactly(new FtpAccount("camera", "camera"));
    }

    @Test
    @DisplayName("FOSCAM_BASE_PATH follows DATA_DIR when only DATA_DIR is set")
    void uploadFolderFollowsDataDir() {
        AppConfig config = AppConfig.fromEnv(Map.of("DATA_DIR", "/srv/hsi/./state"));

        assertThat(config.storage().dataDir()).isEqualTo(Path.of("/srv/hsi/state"));
        assertThat(config.ingest().basePath()).isEqualTo(Path.of("/srv/hsi/state/foscam"));
    }

    @Test
    @DisplayName("FAST_PATH_OBJECT_TYPES is read from the original's JSON list form")
    void fastPathTypesAsJson() {
        AppConfig config = AppConfig.fromEnv(Map.of("FAST_PATH_OBJECT_TYPES", "[\"person\",\"car\"]"));

        assertThat(config.batch().fastPathObjectTypes()).containsExactly("person", "car");
    }

    @Test
    @DisplayName("FAST_PATH_OBJECT_TYPES is also read as a comma separated list with spaces")
    void fastPathTypesAsCommaList() {
        AppConfig config = AppConfig.fromEnv(Map.of("FAST_PATH_OBJECT_TYPES", "person, car"));

        assertThat(config.batch().fastPathObjectTypes()).containsExactly("person", "car");
    }

    @Test
    @DisplayName("FTP_USERS gives one account per user:password entry and drops the default account")
    void ftpUsersAreParsed() {
        IngestConfig ingest = AppConfig.fromEnv(Map.of("FTP_USERS", "front_door:s3cret, garage:pa:ss")).ingest();

        assertThat(ingest.ftpAccounts()).containsExactly(
                new FtpAccount("front_door", "s3cret"), new FtpAccount("garage", "pa:ss"));
        assertThat(ingest.defaultFtpAccount()).isFalse();
    }

    @Test
    @DisplayName("Several bad settings are all reported in one ConfigException, each naming its variable")
    void everyProblemIsReportedAtOnce() {
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> AppConfig.fromEnv(Map.of(
                "API_PORT", "abc",
                "DETECTION_CONFIDENCE_THRESHOLD", "1.5",
                "REDIS_URL", "http://x",
                "FTP_USERS", "nopassword")));

        assertThat(error).isNotNull();
        List<String> problems = error.problems();
        assertThat(problems).hasSize(4);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("API_PORT").contains("abc"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("DETECTION_CONFIDENCE_THRESHOLD").contains("1.5"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("REDIS_URL").contains("redis://"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("FTP_USERS").contains("entry 1"));
        assertThat(error).hasMessageContainingAll(
                "API_PORT", "DETECTION_CONFIDENCE_THRESHOLD", "REDIS_URL", "FTP_USERS");
    }

    @Test
    @DisplayName("A malformed FTP_USERS entry is reported without echoing the password it may hold")
    void ftpUsersErrorHidesPasswords() {
        ConfigException error = catchThrowableOfType(ConfigException.class,
                () -> AppConfig.fromEnv(Map.of("FTP_USERS", "garage:ok,:s3cret")));
        assertThat(error.problems()).singleElement().asString().contains("entry 2").doesNotContain("s3cret");
    }
    @Test
    @DisplayName("Retention has the original's defaults: 30 days, logs 7 days, cleanup at 03:00, images kept")
    void retentionDefaults() {
        RetentionConfig retention = AppConfig.fromEnv(Map.of()).retention();

        assertThat(retention).isEqualTo(new RetentionConfig(30, 7, LocalTime.of(3, 0), false));
        assertThat(AppConfig.fromEnv(Map.of()).recovery().retentionDays()).as("reconciliation follows retention")
                .isEqualTo(30);
    }

    @Test
    @DisplayName("Retention settings are read, and RETENTION_DAYS also bounds reconciliation")
    void retentionSettings() {
        AppConfig config = AppConfig.fromEnv(Map.of("RETENTION_DAYS", "14", "LOG_RETENTION_DAYS", "3",
                "CLEANUP_TIME", "23:45", "CLEANUP_DELETE_IMAGES", "TRUE"));

        assertThat(config.retention()).isEqualTo(new RetentionConfig(14, 3, LocalTime.of(23, 45), true));
        assertThat(config.recovery().retentionDays()).isEqualTo(14);
    }

    @Test
    @DisplayName("A CLEANUP_TIME that is not HH:MM, a yes/no that is neither and a zero retention are all reported")
    void badRetentionSettings() {
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> AppConfig.fromEnv(Map.of(
                "CLEANUP_TIME", "3:00", "CLEANUP_DELETE_IMAGES", "maybe", "LOG_RETENTION_DAYS", "0")));

        assertThat(error.problems()).containsExactlyInAnyOrder(
                "CLEANUP_TIME must be HH:MM on a 24-hour clock (for example 03:00), got '3:00'",
                "CLEANUP_DELETE_IMAGES must be true or false, got 'maybe'",
                "LOG_RETENTION_DAYS must be between 1 and 3650, got 0");
        assertThat(catchThrowableOfType(ConfigException.class,
                () -> AppConfig.fromEnv(Map.of("CLEANUP_TIME", "24:00"))).problems()).singleElement().asString()
                .contains("CLEANUP_TIME").contains("'24:00'");
    }

    @Test
    @DisplayName("Without NEMOTRON_URL the analyser is rule-based; the LLM settings have the original's defaults")
    void llmDefaults() {
        LlmConfig llm = AppConfig.fromEnv(Map.of()).analysis().llm();
        assertThat(llm.enabled()).isFalse();
        assertThat(llm.api()).isEqualTo(LlmConfig.Api.COMPLETION);
        assertThat(llm.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(llm.readTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(llm.maxRetries()).isEqualTo(3);
        assertThat(AppConfig.fromEnv(Map.of()).analysis().baseline()).isEqualTo(BaselineConfig.defaults());

        LlmConfig openai = AppConfig.fromEnv(Map.of("NEMOTRON_URL", "http://gpu:8000/", "LLM_API", "OpenAI",
                "LLM_MODEL", "nemotron-nano")).analysis().llm();
        assertThat(openai.url()).contains("http://gpu:8000");
        assertThat(openai.api()).isEqualTo(LlmConfig.Api.OPENAI);
        assertThat(openai.model()).isEqualTo("nemotron-nano");
    }

    @Test
    @DisplayName("Bad LLM and baseline settings are reported together, each naming its variable")
    void badLlmSettings() {
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> AppConfig.fromEnv(Map.of(
                "NEMOTRON_URL", "gpu:8091", "LLM_API", "grpc", "NEMOTRON_MAX_RETRIES", "-1",
                "BASELINE_DECAY_FACTOR", "2")));
        assertThat(error.problems()).anyMatch(p -> p.startsWith("NEMOTRON_URL must start with http://"))
                .anyMatch(p -> p.startsWith("LLM_API must be 'completion' or 'openai'"))
                .anyMatch(p -> p.startsWith("NEMOTRON_MAX_RETRIES must be between 0 and 20"))
                .anyMatch(p -> p.startsWith("BASELINE_DECAY_FACTOR must be between"));
    }

    @Test
    @DisplayName("Logging: the file under DATA_DIR, the database copy on from INFO; the original's level names (WARN too)")
    void loggingSettings() {
        LoggingConfig defaults = AppConfig.fromEnv(Map.of("DATA_DIR", "/srv/hsi")).logging();
        assertThat(defaults.level()).isEmpty();
        assertThat(defaults.filePath()).isEqualTo(Path.of("/srv/hsi/logs/security.log"));
        assertThat(defaults.dbEnabled()).isTrue();
        assertThat(defaults.dbMinLevel()).isEqualTo("INFO");
        assertThat(defaults.dbBufferSize()).isEqualTo(10_000);

        LoggingConfig set = AppConfig.fromEnv(Map.of("LOG_LEVEL", "warning", "LOG_DB_MIN_LEVEL", "WARN",
                "LOG_DB_ENABLED", "false", "LOG_FILE_PATH", "/var/log/hsi.log")).logging();
        assertThat(set.level()).contains("WARNING");
        assertThat(set.dbMinLevel()).isEqualTo("WARNING");
        assertThat(set.dbEnabled()).isFalse();
        assertThat(set.filePath()).isEqualTo(Path.of("/var/log/hsi.log"));

        ConfigException error = catchThrowableOfType(ConfigException.class, () -> AppConfig.fromEnv(Map.of(
                "LOG_LEVEL", "verbose", "LOG_DB_MIN_LEVEL", "trace", "LOG_DB_BUFFER_SIZE", "1")));
        assertThat(error.problems()).containsExactlyInAnyOrder(
                "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'verbose'",
                "LOG_DB_MIN_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'trace'",
                "LOG_DB_BUFFER_SIZE must be between 10 and 1000000, got 1");
    }
}
