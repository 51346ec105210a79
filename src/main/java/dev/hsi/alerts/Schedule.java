package dev.hsi.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * When a rule applies: on the given days (none: every day), between {@code start} and {@code end} inclusive (none:
 * all day), in an IANA time zone. A window whose end is before its start runs across midnight (22:00 to 06:00), and
 * its hours after midnight belong to the day it started on: "friday 22:00-06:00" holds at 02:00 on Saturday.
 */
public record Schedule(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {

    public Schedule {
        days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
        if ((start == null) != (end == null)) {
            throw new IllegalArgumentException("a schedule's window needs both start and end, or neither");
        }
    }

    public boolean contains(Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        LocalTime time = local.toLocalTime().withSecond(0).withNano(0);
        DayOfWeek day = local.getDayOfWeek();
        if (start != null) {
            if (!start.isAfter(end)) {
                if (time.isBefore(start) || time.isAfter(end)) {
                    return false;
                }
            } else if (time.isBefore(start)) {
                if (time.isAfter(end)) {
                    return false;
                }
                day = day.minus(1);
            }
        }
        return days.isEmpty() || days.contains(day);
    }

    /** The original's schedule object: {@code {days, start_time, end_time, timezone}}. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        if (!days.isEmpty()) {
            JsonArray names = new JsonArray();
            EnumSet.copyOf(days).forEach(day -> names.add(dayName(day)));
            json.put("days", names);
        }
        if (start != null) {
            json.put("start_time", start.toString()).put("end_time", end.toString());
        }
        return json.put("timezone", zone.getId());
    }

    static String dayName(DayOfWeek day) {
        return day.getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT);
    }
}
