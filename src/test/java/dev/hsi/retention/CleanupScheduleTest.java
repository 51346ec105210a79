package dev.hsi.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CleanupScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LocalTime THREE = LocalTime.of(3, 0);

    @Test
    @DisplayName("Before CLEANUP_TIME the cleanup runs today, at or after it tomorrow, on the server's wall clock")
    void nextRunIsTheNextCleanupTimeInTheZone() {
        assertThat(CleanupSchedule.nextRun(Instant.parse("2026-11-22T01:30:00Z"), BERLIN, THREE))
                .isEqualTo(ZonedDateTime.of(2026, 11, 22, 3, 0, 0, 0, BERLIN));
        assertThat(CleanupSchedule.nextRun(Instant.parse("2026-11-22T02:00:00Z"), BERLIN, THREE))
                .as("exactly 03:00 in Berlin").isEqualTo(ZonedDateTime.of(2026, 11, 23, 3, 0, 0, 0, BERLIN));
        assertThat(CleanupSchedule.nextRun(Instant.parse("2026-12-31T23:30:00Z"), BERLIN, THREE))
                .as("already 2027 in Berlin").isEqualTo(ZonedDateTime.of(2027, 1, 1, 3, 0, 0, 0, BERLIN));
    }

    @Test
    @DisplayName("On the night the clocks skip CLEANUP_TIME the cleanup runs after the gap, once")
    void daylightSavingGap() {
        ZonedDateTime next = CleanupSchedule.nextRun(Instant.parse("2027-03-28T00:00:00Z"), BERLIN,
                LocalTime.of(2, 30));

        assertThat(next.toInstant()).isEqualTo(Instant.parse("2027-03-28T01:30:00Z"));
        assertThat(CleanupSchedule.nextRun(next.toInstant(), BERLIN, LocalTime.of(2, 30)).toLocalDate())
                .hasToString("2027-03-29");
    }
}
