package dev.hsi.config;

import java.util.Map;

/**
 * The whole configuration, read once at start from environment variables named as in the original
 * system. Every default lives in the sub-records' {@code read} methods; every problem is reported at once.
 */
public record AppConfig(
        StorageConfig storage,
        IngestConfig ingest,
        DetectConfig detect,
        BatchConfig batch,
        ApiConfig api,
        QueueConfig queue,
        RecoveryConfig recovery,
        RetentionConfig retention,
        AnalysisConfig analysis,
        NotificationConfig notification,
        LoggingConfig logging) {

    public static AppConfig fromEnv(Map<String, String> env) {
        EnvReader reader = new EnvReader(env);
        StorageConfig storage = StorageConfig.read(reader);
        RetentionConfig retention = RetentionConfig.read(reader);
        AppConfig config = new AppConfig(
                storage,
                IngestConfig.read(reader, storage.dataDir()),
                DetectConfig.read(reader, storage.dataDir()),
                BatchConfig.read(reader),
                ApiConfig.read(reader),
                QueueConfig.read(reader),
                RecoveryConfig.read(reader, retention),
                retention,
                AnalysisConfig.read(reader),
                NotificationConfig.read(reader),
                LoggingConfig.read(reader, storage.dataDir()));
        if (!reader.problems().isEmpty()) {
            throw new ConfigException(reader.problems());
        }
        return config;
    }
}
