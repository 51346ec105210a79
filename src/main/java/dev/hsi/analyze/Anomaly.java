package dev.hsi.analyze;

import java.util.Map;
import java.util.Optional;

/**
 * How unusual a batch's activity is for its camera and hour.
 *
 * @param activity       the activity judgement, empty while the baselines hold fewer observed hours than needed
 * @param classShares    for each class of the batch, its share of the detections usually seen at this hour of day
 *                       (0 = never seen then); empty while that hour has too few samples
 */
record Anomaly(Optional<Activity> activity, Map<String, Double> classShares, int samples, int minSamples) {

    /**
     * @param score       0 normal .. 1 rare: 0.5 at the standard-deviation threshold, 1 at twice it
     * @param countSoFar  detections of this camera in the current hour, this batch included
     * @param mean        the usual detections per hour it is compared with
     * @param basis       what the mean describes: {@code slot} (this hour on this weekday), {@code hour} (this hour on
     *                    any day) or {@code camera} (any hour), the narrowest with enough history
     */
    record Activity(double score, int countSoFar, double mean, double deviation, String basis, int samples) {
    }

    static Anomaly unknown(int samples, int minSamples) {
        return new Anomaly(Optional.empty(), Map.of(), samples, minSamples);
    }

    /** The event's {@code anomaly_score}: empty while there is too little history. */
    Optional<Double> score() {
        return activity.map(Activity::score);
    }
}
