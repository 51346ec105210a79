package dev.hsi.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an alert rule from a request body, with the original's fields and defaults. A create needs {@code name}; an
 * update changes only the fields it names (null clears an optional condition). Every value is checked, and the first
 * bad one is refused naming the field.
 */
public final class RuleInput {

    /** The channels a rule may name; both are delivered by the alert stage. */
    public static final List<String> CHANNELS = List.of("webhook", "mqtt");
    /** The placeholders a dedup key template may use. */
    public static final Set<String> DEDUP_PLACEHOLDERS = Set.of("camera_id", "rule_id", "object_type");
    private static final Set<String> SCHEDULE_FIELDS = Set.of("days", "start_time", "end_time", "timezone");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern HH_MM = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");

    private RuleInput() {
    }

    public static RuleFields forCreate(JsonObject body) {
        if (!body.containsKey("name")) {
            throw new InvalidRuleException("name", "is required");
        }
        return read(body, null);
    }

    public static RuleFields forUpdate(RuleFields current, JsonObject body) {
        return read(body, current);
    }

    private static RuleFields read(JsonObject body, RuleFields current) {
        Fields in = new Fields(body, current != null);
        return new RuleFields(
                in.has("name") ? name(body.getValue("name")) : current.name(),
                in.has("description") ? optionalText("description", body.getValue("description")) : keep(current,
                        RuleFields::description, null),
                in.has("enabled") ? bool("enabled", body.getValue("enabled")) : keep(current, RuleFields::enabled, true),
                in.has("severity") ? severity(body.getValue("severity"))
                        : keep(current, RuleFields::severity, Severity.MEDIUM),
                in.has("risk_threshold") ? riskThreshold(body.getValue("risk_threshold"))
                        : keep(current, RuleFields::riskThreshold, null),
                in.has("object_types") ? strings("object_types", body.getValue("object_types"), true)
                        : keep(current, RuleFields::objectTypes, null),
                in.has("camera_ids") ? strings("camera_ids", body.getValue("camera_ids"), false)
                        : keep(current, RuleFields::cameraIds, null),
                in.has("zone_ids") ? strings("zone_ids", body.getValue("zone_ids"), false)
                        : keep(current, RuleFields::zoneIds, null),
                in.has("min_confidence") ? minConfidence(body.getValue("min_confidence"))
                        : keep(current, RuleFields::minConfidence, null),
                in.has("schedule") ? schedule(body.getValue("schedule")) : keep(current, RuleFields::schedule, null),
                in.has("conditions") ? conditions(body.getValue("conditions"))
                        : keep(current, RuleFields::conditions, null),
                in.hasValue("dedup_key_template") ? dedupKeyTemplate(body.getValue("dedup_key_template"))
                        : keep(current, RuleFields::dedupKeyTemplate, RuleFields.DEFAULT_DEDUP_KEY_TEMPLATE),
                in.hasValue("cooldown_seconds") ? cooldown(body.getValue("cooldown_seconds"))
                        : keep(current, RuleFields::cooldownSeconds, RuleFields.DEFAULT_COOLDOWN_SECONDS),
                in.has("channels") ? channels(body.getValue("channels")) : keep(current, RuleFields::channels,
                        List.of()));
    }

    /** Which fields a body sets: on a create, a null value is the same as no value. */
    private record Fields(JsonObject body, boolean update) {
        boolean has(String field) {
            return update ? body.containsKey(field) : body.getValue(field) != null;
        }

        /** For fields that cannot be null: null means "leave as is" (the original ignores it). */
        boolean hasValue(String field) {
            return body.getValue(field) != null;
        }
    }

    private static <T> T keep(RuleFields current, java.util.function.Function<RuleFields, T> field, T defaultValue) {
        return current == null ? defaultValue : field.apply(current);
    }

    private static String name(Object value) {
        if (!(value instanceof String name) || name.isBlank() || name.length() > 255) {
            throw new InvalidRuleException("name", "must be a string of 1 to 255 characters");
        }
        return name.trim();
    }

    private static String optionalText(String field, Object value) {
        if (value != null && !(value instanceof String)) {
            throw new InvalidRuleException(field, "must be a string");
        }
        return (String) value;
    }

    private static boolean bool(String field, Object value) {
        if (!(value instanceof Boolean flag)) {
            throw new InvalidRuleException(field, "must be true or false, got " + value);
        }
        return flag;
    }

    private static Severity severity(Object value) {
        Severity severity = value instanceof String name ? Severity.byName(name) : null;
        if (severity == null) {
            throw new InvalidRuleException("severity", "must be one of " + Severity.NAMES + ", got " + value);
        }
        return severity;
    }

    private static Integer riskThreshold(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0
                || ((Number) value).longValue() > 100) {
            throw new InvalidRuleException("risk_threshold", "must be an integer from 0 to 100, got " + value);
        }
        return ((Number) value).intValue();
    }

    private static Double minConfidence(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number) || !(number.doubleValue() >= 0 && number.doubleValue() <= 1)) {
            throw new InvalidRuleException("min_confidence", "must be a number from 0 to 1, got " + value);
        }
        return number.doubleValue();
    }

    private static int cooldown(Object value) {
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0
                || ((Number) value).longValue() > 86_400 * 7) {
            throw new InvalidRuleException("cooldown_seconds", "must be an integer from 0 to 604800, got " + value);
        }
        return ((Number) value).intValue();
    }

    /** A list of non-empty strings, or null; object types are matched without regard to case. */
    private static List<String> strings(String field, Object value, boolean lowerCase) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonArray array)) {
            throw new InvalidRuleException(field, "must be a list of strings, got " + value);
        }
        List<String> strings = new ArrayList<>(array.size());
        for (Object element : array) {
            if (!(element instanceof String text) || text.isBlank()) {
                throw new InvalidRuleException(field, "must hold non-empty strings only, got " + element);
            }
            strings.add(lowerCase ? text.trim().toLowerCase(Locale.ROOT) : text.trim());
        }
        return strings;
    }

    private static List<String> channels(Object value) {
        List<String> channels = strings("channels", value, true);
        if (channels == null) {
            return List.of();
        }
        for (String channel : channels) {
            if (!CHANNELS.contains(channel)) {
                throw new InvalidRuleException("channels", "unknown channel '" + channel + "'; known: " + CHANNELS);
            }
        }
        return channels.stream().distinct().toList();
    }

    private static JsonObject conditions(Object value) {
        if (value != null && !(value instanceof JsonObject)) {
            throw new InvalidRuleException("conditions", "must be an object (the original's legacy conditions)");
        }
        return (JsonObject) value;
    }

    private static String dedupKeyTemplate(Object value) {
        if (!(value instanceof String template) || template.isBlank() || template.length() > 255) {
            throw new InvalidRuleException("dedup_key_template", "must be a string of 1 to 255 characters");
        }
        Matcher placeholders = PLACEHOLDER.matcher(template);
        while (placeholders.find()) {
            if (!DEDUP_PLACEHOLDERS.contains(placeholders.group(1))) {
                throw new InvalidRuleException("dedup_key_template", "unknown placeholder {" + placeholders.group(1)
                        + "}; known: {camera_id}, {rule_id}, {object_type}");
            }
        }
        return template;
    }

    /** {@code {days: ["monday", ...], start_time: "22:00", end_time: "06:00", timezone: "Europe/Berlin"}}. */
    static Schedule schedule(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonObject json)) {
            throw new InvalidRuleException("schedule", "must be an object {days, start_time, end_time, timezone}");
        }
        for (String field : json.fieldNames()) {
            if (!SCHEDULE_FIELDS.contains(field)) {
                throw new InvalidRuleException("schedule", "unknown field '" + field + "'; known: days, start_time,"
                        + " end_time, timezone");
            }
        }
        Set<DayOfWeek> days = days(json.getValue("days"));
        LocalTime start = time("schedule.start_time", json.getValue("start_time"));
        LocalTime end = time("schedule.end_time", json.getValue("end_time"));
        if ((start == null) != (end == null)) {
            throw new InvalidRuleException("schedule", "start_time and end_time go together: give both or neither");
        }
        Object zone = json.getValue("timezone");
        if (zone == null) {
            return new Schedule(days, start, end, ZoneId.of("UTC"));
        }
        try {
            if (!(zone instanceof String name)) {
                throw new DateTimeException("not a string");
            }
            return new Schedule(days, start, end, ZoneId.of(name));
        } catch (DateTimeException e) {
            throw new InvalidRuleException("schedule.timezone", "must be an IANA time zone such as Europe/Berlin or"
                    + " UTC, got " + zone);
        }
    }

    private static Set<DayOfWeek> days(Object value) {
        if (value == null) {
            return Set.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw new InvalidRuleException("schedule.days", "must be a list of day names (monday ... sunday)");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (Object element : array) {
            DayOfWeek day = null;
            for (DayOfWeek candidate : DayOfWeek.values()) {
                if (element instanceof String name && Schedule.dayName(candidate).equalsIgnoreCase(name.trim())) {
                    day = candidate;
                }
            }
            if (day == null) {
                throw new InvalidRuleException("schedule.days", "unknown day " + element
                        + "; use monday, tuesday, wednesday, thursday, friday, saturday, sunday");
            }
            days.add(day);
        }
        return days;
    }

    private static LocalTime time(String field, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text) || !HH_MM.matcher(text).matches()) {
            throw new InvalidRuleException(field, "must be a time HH:MM from 00:00 to 23:59, got " + value);
        }
        try {
            return LocalTime.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRuleException(field, "must be a time HH:MM, got " + value);
        }
    }
}
