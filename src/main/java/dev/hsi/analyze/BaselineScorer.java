package dev.hsi.analyze;

import dev.hsi.config.BaselineConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Judges a batch against its camera's baselines: how far the detections counted this hour (the batch's included)
 * lie above the usual hourly count, in standard deviations. The usual count comes from the narrowest basis with
 * at least {@code minSamples} observed hours: this hour on this weekday, else this hour on any day, else any hour of
 * the camera; with less history than that the activity is not judged (the original answers a neutral 0.5; here the
 * score stays empty, so that nothing downstream mistakes "unknown" for "somewhat unusual").
 */
final class BaselineScorer {

    /** One class's row of {@code class_baselines} for an hour of day. */
    record ClassRow(int hour, String detectionClass, double frequency, int samples, Instant lastUpdated) {
    }

    private final BaselineConfig config;
    private final ZoneId zone;

    BaselineScorer(BaselineConfig config, ZoneId zone) {
        this.config = config;
        this.zone = zone;
    }

    /** Start of the local hour holding {@code time}. */
    Instant hourStart(Instant time) {
        return ZonedDateTime.ofInstant(time, zone).truncatedTo(ChronoUnit.HOURS).toInstant();
    }

    /** 0 = Monday .. 6 = Sunday, as the seed numbers them. */
    int dayOfWeek(Instant time) {
        return ZonedDateTime.ofInstant(time, zone).getDayOfWeek().getValue() - 1;
    }

    int hourOfDay(Instant time) {
        return ZonedDateTime.ofInstant(time, zone).getHour();
    }

    /** {@code classRows} may hold every hour's rows of the camera: only the batch's hour of day counts. */
    Anomaly score(Instant batchStart, int batchCount, Set<String> batchClasses, List<ActivitySlot> slots,
            List<ClassRow> classRows) {
        Instant hourStart = hourStart(batchStart);
        int day = dayOfWeek(batchStart);
        int hour = hourOfDay(batchStart);
        List<ActivitySlot> advanced = slots.stream().map(slot -> slot.advancedTo(hourStart, zone, config)).toList();
        int countSoFar = batchCount + advanced.stream()
                .filter(slot -> slot.dayOfWeek() == day && slot.hour() == hour)
                .mapToInt(slot -> slot.countIn(hourStart)).sum();
        Map<String, Double> shares = classShares(batchClasses,
                classRows.stream().filter(row -> row.hour() == hour).toList(), batchStart);
        Optional<Anomaly.Activity> activity = Optional.empty();
        int samples = 0;
        for (Basis basis : List.of(
                new Basis("slot", slot -> slot.dayOfWeek() == day && slot.hour() == hour),
                new Basis("hour", slot -> slot.hour() == hour),
                new Basis("camera", slot -> true))) {
            Pooled pooled = Pooled.of(advanced.stream().filter(basis.member()).toList());
            samples = Math.max(samples, pooled.samples());
            if (pooled.samples() >= config.minSamples()) {
                activity = Optional.of(judge(countSoFar, pooled, basis.name()));
                break;
            }
        }
        return new Anomaly(activity, shares, samples, config.minSamples());
    }

    private Anomaly.Activity judge(int countSoFar, Pooled pooled, String basis) {
        // hourly counts are Poisson-like: never trust a spread below the square root of the mean (nor below 1), or
        // a camera that always saw exactly one detection would call two an outlier
        double deviation = Math.max(Math.sqrt(pooled.variance()), Math.sqrt(Math.max(1.0, pooled.mean())));
        double z = (countSoFar - pooled.mean()) / deviation;
        double score = Math.max(0, Math.min(1, z / (2 * config.thresholdStd())));
        return new Anomaly.Activity(score, countSoFar, pooled.mean(), deviation, basis, pooled.samples());
    }

    /**
     * Each batch class's share of the (decayed) detections seen at this hour of day, once the hour has
     * {@code minSamples} detections; an unseen class has share 0. Empty when there is too little history.
     */
    private Map<String, Double> classShares(Set<String> batchClasses, List<ClassRow> rows, Instant at) {
        Map<String, Double> decayed = new LinkedHashMap<>();
        int samples = 0;
        for (ClassRow row : rows) {
            Duration age = Duration.between(row.lastUpdated(), at);
            if (age.compareTo(Duration.ofDays(config.windowDays())) > 0) {
                continue;
            }
            double days = Math.max(0, age.toMillis() / 86_400_000.0);
            decayed.put(row.detectionClass(), row.frequency() * Math.pow(1 - config.decayFactor(), days));
            samples += row.samples();
        }
        double total = decayed.values().stream().mapToDouble(Double::doubleValue).sum();
        if (samples < config.minSamples() || total <= 0) {
            return Map.of();
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        batchClasses.stream().sorted().forEach(c -> shares.put(c, decayed.getOrDefault(c, 0.0) / total));
        return shares;
    }

    private record Basis(String name, Predicate<ActivitySlot> member) {
    }

    /** Slots taken together: the sample-weighted mean, and the variance within and between them. */
    private record Pooled(double mean, double variance, int samples) {

        static Pooled of(List<ActivitySlot> slots) {
            int samples = slots.stream().mapToInt(ActivitySlot::samples).sum();
            if (samples == 0) {
                return new Pooled(0, 0, 0);
            }
            double mean = slots.stream().mapToDouble(s -> s.samples() * s.mean()).sum() / samples;
            double variance = slots.stream()
                    .mapToDouble(s -> s.samples() * (s.variance() + (s.mean() - mean) * (s.mean() - mean)))
                    .sum() / samples;
            return new Pooled(mean, variance, samples);
        }
    }
}
