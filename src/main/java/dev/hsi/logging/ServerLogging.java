package dev.hsi.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import dev.hsi.config.LoggingConfig;
import io.vertx.mutiny.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * What {@code LOG_*} asks of logback, beside {@code logback.xml}'s console: the level of HSI's loggers, the rolling
 * log file, and the copy into table {@code logs} ({@link #databaseWriter}). Installed first at start and undone last
 * at close, so that several servers in one JVM (the tests) leave logback as they found it.
 */
public final class ServerLogging implements AutoCloseable {

    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";
    /** As the original: 10 MB per file, the current one and 7 rolled ones. */
    static final FileSize MAX_FILE_SIZE = FileSize.valueOf("10MB");
    static final int ROLLED_FILES = 7;
    private static final String OWN_LOGGERS = "dev.hsi";

    private final LoggingConfig config;
    private final LoggerContext context;
    private final Logger root;
    private final Logger own;
    private final Level previousLevel;
    private RollingFileAppender<ILoggingEvent> file;

    private ServerLogging(LoggingConfig config) {
        this.config = config;
        this.context = (LoggerContext) LoggerFactory.getILoggerFactory();
        this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        this.own = context.getLogger(OWN_LOGGERS);
        this.previousLevel = own.getLevel();
    }

    /** Applies {@code LOG_LEVEL} (when set) and opens {@code LOG_FILE_PATH}; fails when it cannot be written. */
    public static ServerLogging install(LoggingConfig config) {
        ServerLogging logging = new ServerLogging(config);
        config.level().ifPresent(level -> logging.own.setLevel(logbackLevel(level)));
        logging.openFile(config.filePath());
        return logging;
    }

    /** The verticle that copies log lines into {@code logs} through {@code pool}; none with LOG_DB_ENABLED=false. */
    public Optional<DatabaseLogWriter> databaseWriter(Pool pool) {
        if (!config.dbEnabled()) {
            return Optional.empty();
        }
        DatabaseLogAppender appender = new DatabaseLogAppender(config.dbMinLevel(), config.dbBufferSize(),
                DatabaseLogWriter.BATCH_SIZE);
        appender.setContext(context);
        return Optional.of(new DatabaseLogWriter(this, appender, pool));
    }

    void attach(Appender<ILoggingEvent> appender) {
        appender.start();
        root.addAppender(appender);
    }

    void detach(Appender<ILoggingEvent> appender) {
        root.detachAppender(appender);
        appender.stop();
    }

    private void openFile(Path path) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new IllegalStateException(LoggingConfig.LOG_FILE_PATH + ": cannot create the folder of " + path
                    + ": " + e.getMessage(), e);
        }
        file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("hsi-file");
        file.setFile(path.toString());
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(file);
        rolling.setFileNamePattern(path + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(ROLLED_FILES);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(MAX_FILE_SIZE);
        trigger.start();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(trigger);
        file.setEncoder(encoder);
        file.start();
        if (!file.isStarted() || !Files.isWritable(path)) {
            throw new IllegalStateException(LoggingConfig.LOG_FILE_PATH + ": cannot write the log file " + path);
        }
        root.addAppender(file);
    }

    /** The original's names; CRITICAL has no logback level of its own and lets ERROR through. */
    static Level logbackLevel(String level) {
        return switch (level) {
            case "DEBUG" -> Level.DEBUG;
            case "WARNING" -> Level.WARN;
            case "ERROR", "CRITICAL" -> Level.ERROR;
            default -> Level.INFO;
        };
    }

    @Override
    public void close() {
        if (file != null) {
            root.detachAppender(file);
            file.stop();
        }
        own.setLevel(previousLevel);
    }
}
