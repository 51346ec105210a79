package dev.hsi.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The server's own log lines, with the original's names: {@code LOG_LEVEL} for the {@code dev.hsi} loggers (when
 * set; otherwise {@code logback.xml}'s default, INFO, stays), a rolling {@code LOG_FILE_PATH} (10 MB × 7 files, as the
 * original), and the copy into table {@code logs}: {@code LOG_DB_ENABLED} (true) for lines at or above
 * {@code LOG_DB_MIN_LEVEL} (INFO here, DEBUG in the original; see decision 0016), kept in a buffer of
 * {@code LOG_DB_BUFFER_SIZE} lines (10000) that drops, and counts, what a slow or absent database cannot take.
 *
 * @param level         the original's level names, upper case: DEBUG, INFO, WARNING, ERROR or CRITICAL
 * @param dbMinLevel    the same names
 */
public record LoggingConfig(
        Optional<String> level, Path filePath, boolean dbEnabled, String dbMinLevel, int dbBufferSize) {

    public static final String LOG_LEVEL = "LOG_LEVEL";
    public static final String LOG_FILE_PATH = "LOG_FILE_PATH";
    public static final String LOG_DB_ENABLED = "LOG_DB_ENABLED";
    public static final String LOG_DB_MIN_LEVEL = "LOG_DB_MIN_LEVEL";
    public static final String LOG_DB_BUFFER_SIZE = "LOG_DB_BUFFER_SIZE";
    public static final String DEFAULT_DB_MIN_LEVEL = "INFO";
    public static final int DEFAULT_DB_BUFFER_SIZE = 10_000;
    /** The table's levels, lowest first; WARN is taken for WARNING (logback's name). */
    public static final List<String> LEVELS = List.of("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL");

    static LoggingConfig read(EnvReader env, Path dataDir) {
        Optional<String> level = env.optional(LOG_LEVEL).map(raw -> level(env, LOG_LEVEL, raw, "INFO"));
        String dbMinLevel = level(env, LOG_DB_MIN_LEVEL, env.string(LOG_DB_MIN_LEVEL, DEFAULT_DB_MIN_LEVEL),
                DEFAULT_DB_MIN_LEVEL);
        Path file = env.optional(LOG_FILE_PATH).map(Path::of).orElse(dataDir.resolve("logs").resolve("security.log"))
                .toAbsolutePath().normalize();
        return new LoggingConfig(level, file, env.bool(LOG_DB_ENABLED, true), dbMinLevel,
                env.integer(LOG_DB_BUFFER_SIZE, DEFAULT_DB_BUFFER_SIZE, 10, 1_000_000));
    }

    private static String level(EnvReader env, String name, String raw, String fallback) {
        String upper = raw.trim().toUpperCase(Locale.ROOT);
        String normalised = upper.equals("WARN") ? "WARNING" : upper;
        if (!LEVELS.contains(normalised)) {
            env.problem(name + " must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got '" + raw + "'");
            return fallback;
        }
        return normalised;
    }
}
