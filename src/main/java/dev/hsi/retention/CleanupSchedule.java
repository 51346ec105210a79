package dev.hsi.retention;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** When the daily cleanup runs next: the next {@code CLEANUP_TIME} on the server's wall clock. */
final class CleanupSchedule {

    private CleanupSchedule() {
    }

    /**
     * The first moment after {@code now} whose local time in {@code zone} is {@code at}. On a day when the clocks
     * skip that time (a daylight-saving gap), it runs as much later as the gap is long.
     */
    static ZonedDateTime nextRun(Instant now, ZoneId zone, LocalTime at) {
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime today = ZonedDateTime.of(local.toLocalDate(), at, zone);
        return today.toInstant().isAfter(now) ? today : ZonedDateTime.of(local.toLocalDate().plusDays(1), at, zone);
    }
}
