package dev.hsi.analyze;

import dev.hsi.config.BaselineConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * One hour-of-week slot of a camera's activity baseline ({@code activity_baselines}): the exponentially weighted
 * mean and variance of detections per hour over the slot's completed hours, and the hour being counted now.
 *
 * <p>Hours are folded in lazily: a completed hour joins the average when a later hour of the same slot is counted
 * (or when the slot is read for a later time), and the weeks in between that saw nothing join as zero-count hours.
 * A slot untouched for longer than the window starts afresh, as the original's stale baselines do. Pure: the same
 * state advanced to the same time gives the same result, so reading and writing agree.
 *
 * @param currentHour  start of the hour being counted, null before the first detection
 */
record ActivitySlot(int dayOfWeek, int hour, double mean, double variance, int samples, Instant currentHour,
        int currentCount) {

    static ActivitySlot empty(int dayOfWeek, int hour) {
        return new ActivitySlot(dayOfWeek, hour, 0, 0, 0, null, 0);
    }

    /** The slot as it stands once every hour of it that ended by {@code hourStart} has been folded in. */
    ActivitySlot advancedTo(Instant hourStart, ZoneId zone, BaselineConfig config) {
        if (currentHour == null || !currentHour.isBefore(hourStart)) {
            return this;
        }
        if (Duration.between(currentHour, hourStart).compareTo(Duration.ofDays(config.windowDays())) > 0) {
            return empty(dayOfWeek, hour);
        }
        ActivitySlot folded = fold(currentCount, config.decayFactor());
        // later occurrences of this slot that ended before hourStart and saw nothing: whole local weeks, so that a
        // daylight-saving change does not shift them
        LocalDateTime from = LocalDateTime.ofInstant(currentHour, zone);
        LocalDateTime to = LocalDateTime.ofInstant(hourStart, zone).minusHours(1);
        long quietWeeks = Math.max(0, ChronoUnit.WEEKS.between(from, to));
        for (long week = 0; week < quietWeeks; week++) {
            folded = folded.fold(0, config.decayFactor());
        }
        return new ActivitySlot(dayOfWeek, hour, folded.mean, folded.variance, folded.samples, null, 0);
    }

    /** The slot after {@code count} more detections in the hour starting at {@code hourStart}. */
    ActivitySlot withActivity(Instant hourStart, int count, ZoneId zone, BaselineConfig config) {
        ActivitySlot advanced = advancedTo(hourStart, zone, config);
        if (advanced.currentHour == null) {
            return new ActivitySlot(dayOfWeek, hour, advanced.mean, advanced.variance, advanced.samples, hourStart,
                    count);
        }
        // the hour being counted, or (for a batch analysed late) a later one: the count joins it
        return new ActivitySlot(dayOfWeek, hour, advanced.mean, advanced.variance, advanced.samples,
                advanced.currentHour, advanced.currentCount + count);
    }

    /** Detections counted so far in the hour starting at {@code hourStart}. */
    int countIn(Instant hourStart) {
        return hourStart.equals(currentHour) ? currentCount : 0;
    }

    /** One completed hour joins the weighted mean and variance (West's incremental form). */
    private ActivitySlot fold(int count, double weight) {
        if (samples == 0) {
            return new ActivitySlot(dayOfWeek, hour, count, 0, 1, currentHour, currentCount);
        }
        double diff = count - mean;
        double increment = weight * diff;
        return new ActivitySlot(dayOfWeek, hour, mean + increment, (1 - weight) * (variance + diff * increment),
                samples + 1, currentHour, currentCount);
    }
}
