package dev.hsi.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import dev.hsi.config.LoggingConfig;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * One backend log line as table {@code logs} holds it, taken from a logback event on the logging thread (the event's
 * arguments may change afterwards). Levels are the table's: logback's WARN is WARNING, TRACE is DEBUG, and an ERROR
 * carrying the SLF4J marker {@code CRITICAL} is CRITICAL. {@code camera_id}, {@code event_id} and
 * {@code detection_id} come from the line's key-value pairs of those names ({@link LogFields}), or from the MDC.
 */
record LogLine(Instant timestamp, String level, String component, String message, String cameraId, Long eventId,
        Long detectionId, String extra) {

    /** The table's levels, lowest first. */
    static final List<String> LEVELS = LoggingConfig.LEVELS;
    static final String CRITICAL_MARKER = "CRITICAL";
    private static final String OWN_PACKAGE = "dev.hsi.";
    private static final int MAX_COMPONENT = 50;
    private static final int MAX_CAMERA_ID = 100;
    private static final int MAX_MESSAGE = 8_000;
    private static final int MAX_STACK_TRACE = 4_000;

    static LogLine of(ILoggingEvent event) {
        JsonObject extra = new JsonObject().put("logger", event.getLoggerName()).put("thread", event.getThreadName());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            extra.put("exception", clean(ThrowableProxyUtil.asString(thrown), MAX_STACK_TRACE));
        }
        return new LogLine(Instant.ofEpochMilli(event.getTimeStamp()), level(event), component(event.getLoggerName()),
                clean(event.getFormattedMessage(), MAX_MESSAGE),
                truncate(field(event, LogFields.CAMERA_ID), MAX_CAMERA_ID), number(field(event, LogFields.EVENT_ID)),
                number(field(event, LogFields.DETECTION_ID)), extra.encode());
    }

    /** A field of the line: its key-value pair if it has one, else the MDC entry of that name. */
    private static String field(ILoggingEvent event, String key) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                if (key.equals(pair.key) && pair.value != null) {
                    return String.valueOf(pair.value);
                }
            }
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        return mdc == null ? null : mdc.get(key);
    }

    static String level(ILoggingEvent event) {
        int level = event.getLevel().toInt();
        if (level >= Level.ERROR_INT) {
            return isCritical(event.getMarkerList()) ? "CRITICAL" : "ERROR";
        }
        if (level >= Level.WARN_INT) {
            return "WARNING";
        }
        return level >= Level.INFO_INT ? "INFO" : "DEBUG";
    }

    /**
     * The stage or infra package for HSI's own loggers ({@code dev.hsi.ingest.Ingestor} is {@code ingest},
     * {@code dev.hsi.detect.backend.X} is {@code detect}); the first two parts of a library's ({@code io.vertx}).
     */
    static String component(String loggerName) {
        String name = loggerName == null || loggerName.isBlank() ? "root" : loggerName;
        String[] parts = name.startsWith(OWN_PACKAGE) ? name.substring(OWN_PACKAGE.length()).split("\\.")
                : name.split("\\.");
        String component = name.startsWith(OWN_PACKAGE) || parts.length < 2 ? parts[0] : parts[0] + "." + parts[1];
        return truncate(component, MAX_COMPONENT);
    }

    private static boolean isCritical(List<Marker> markers) {
        return markers != null && markers.stream().anyMatch(marker -> marker.contains(CRITICAL_MARKER));
    }

    private static Long number(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** PostgreSQL text cannot hold NUL characters; very long lines are cut. */
    private static String clean(String text, int max) {
        return truncate(text == null ? "" : text.replace('\0', ' '), max);
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
