package dev.hsi.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where state lives. Without {@code DATABASE_URL} / {@code REDIS_URL} the server starts embedded
 * PostgreSQL and Redis that keep their data under {@code DATA_DIR}.
 */
public record StorageConfig(
        Path dataDir, Optional<String> databaseUrl, Optional<String> redisUrl, String eventChannel) {

    public static final String DATA_DIR = "DATA_DIR";
    public static final String DATABASE_URL = "DATABASE_URL";
    public static final String REDIS_URL = "REDIS_URL";
    public static final String REDIS_EVENT_CHANNEL = "REDIS_EVENT_CHANNEL";

    public Path postgresDir() {
        return dataDir.resolve("postgres");
    }

    public Path redisDir() {
        return dataDir.resolve("redis");
    }

    static StorageConfig read(EnvReader env) {
        Path dataDir = Path.of(env.string(DATA_DIR, "./data")).toAbsolutePath().normalize();
        Optional<String> databaseUrl = env.optional(DATABASE_URL);
        databaseUrl.filter(url -> !url.matches("^postgres(ql)?(\\+\\w+)?://.+"))
                .ifPresent(url -> env.problem(DATABASE_URL + " must look like postgresql://user:password@host:5432/db"));
        Optional<String> redisUrl = env.optional(REDIS_URL);
        redisUrl.filter(url -> !url.matches("^rediss?://.+"))
                .ifPresent(url -> env.problem(REDIS_URL + " must start with redis:// or rediss://"));
        return new StorageConfig(dataDir, databaseUrl, redisUrl, env.string(REDIS_EVENT_CHANNEL, "security_events"));
    }
}
