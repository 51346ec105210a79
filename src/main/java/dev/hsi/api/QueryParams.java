package dev.hsi.api;

import io.vertx.mutiny.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads and validates query and path parameters; a bad value is a 400 naming the parameter and the value. */
final class QueryParams {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;
    static final int MAX_LIST_ITEMS = 100;

    private final RoutingContext context;

    QueryParams(RoutingContext context) {
        this.context = context;
    }

    String text(String name) {
        String value = context.request().getParam(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    String oneOf(String name, Set<String> allowed) {
        String value = text(name);
        if (value != null && !allowed.contains(value.toLowerCase())) {
            throw ApiError.badRequest(name + " must be one of " + allowed + ", got '" + value + "'");
        }
        return value == null ? null : value.toLowerCase();
    }

    /** A comma-separated list ({@code a,b,c}), blanks dropped; null when absent or empty. */
    String[] list(String name) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        String[] items = Arrays.stream(value.split(",")).map(String::trim).filter(item -> !item.isEmpty())
                .toArray(String[]::new);
        if (items.length > MAX_LIST_ITEMS) {
            throw ApiError.badRequest(name + " takes at most " + MAX_LIST_ITEMS + " comma-separated values, got "
                    + items.length);
        }
        return items.length == 0 ? null : items;
    }

    /** A comma-separated list whose every item is one of {@code allowed} (in lower case); all bad items named. */
    String[] listOf(String name, Set<String> allowed) {
        String[] items = list(name);
        if (items == null) {
            return null;
        }
        String[] lower = Arrays.stream(items).map(String::toLowerCase).toArray(String[]::new);
        List<String> invalid = Arrays.stream(lower).filter(item -> !allowed.contains(item)).toList();
        if (!invalid.isEmpty()) {
            throw ApiError.badRequest(name + " has invalid value(s) " + String.join(", ", invalid)
                    + "; valid values are " + String.join(", ", new TreeSet<>(allowed)));
        }
        return lower;
    }

    Boolean bool(String name) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase()) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiError.badRequest(name + " must be true or false, got '" + value + "'");
        };
    }

    Double fraction(String name) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        try {
            double number = Double.parseDouble(value);
            if (number < 0 || number > 1 || Double.isNaN(number)) {
                throw ApiError.badRequest(name + " must be between 0 and 1, got " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + " must be a number between 0 and 1, got '" + value + "'");
        }
    }

    int integer(String name, int defaultValue, int min, int max) {
        String value = text(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int number = Integer.parseInt(value);
            if (number < min || number > max) {
                throw ApiError.badRequest(name + " must be between " + min + " and " + max + ", got " + number);
            }
            return number;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + " must be an integer, got '" + value + "'");
        }
    }

    int limit() {
        return integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    }

    int offset() {
        return integer("offset", 0, 0, Integer.MAX_VALUE);
    }

    /** ISO-8601 date or date-time; without an offset it is read as UTC. */
    OffsetDateTime instant(String name) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            try {
                return OffsetDateTime.parse(value);
            } catch (DateTimeParseException withoutOffset) {
                return LocalDateTime.parse(value).atOffset(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(name + " must be an ISO-8601 date or date-time (2026-11-22 or "
                    + "2026-11-22T08:30:00Z), got '" + value + "'");
        }
    }

    /** Both bounds of a date range, refused when the start is after the end. */
    OffsetDateTime[] dateRange() {
        OffsetDateTime start = instant("start_date");
        OffsetDateTime end = instant("end_date");
        if (start != null && end != null && start.isAfter(end)) {
            throw ApiError.badRequest("start_date must not be after end_date");
        }
        return new OffsetDateTime[] {start, end};
    }

    long pathId(String name) {
        String value = context.pathParam(name);
        try {
            long id = Long.parseLong(value);
            if (id <= 0) {
                throw ApiError.badRequest(name + " must be a positive integer, got " + value);
            }
            return id;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + " must be an integer, got '" + value + "'");
        }
    }
}
