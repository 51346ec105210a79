package dev.hsi.config;

/**
 * How activity baselines learn and judge (the original's BaselineService defaults).
 *
 * @param decayFactor   weight of each new hour in a slot's average, and the share of weight a class frequency loses
 *                      per day
 * @param windowDays    a slot or class frequency not updated for longer starts afresh
 * @param minSamples    observed hours needed before a baseline judges anything
 * @param thresholdStd  standard deviations above the mean at which activity counts as anomalous (score 0.5)
 */
public record BaselineConfig(double decayFactor, int windowDays, int minSamples, double thresholdStd) {

    public static final String BASELINE_DECAY_FACTOR = "BASELINE_DECAY_FACTOR";
    public static final String BASELINE_WINDOW_DAYS = "BASELINE_WINDOW_DAYS";
    public static final String BASELINE_MIN_SAMPLES = "BASELINE_MIN_SAMPLES";
    public static final String BASELINE_ANOMALY_THRESHOLD_STD = "BASELINE_ANOMALY_THRESHOLD_STD";

    public static BaselineConfig defaults() {
        return new BaselineConfig(0.1, 30, 10, 2.0);
    }

    static BaselineConfig read(EnvReader env) {
        BaselineConfig defaults = defaults();
        return new BaselineConfig(
                env.decimal(BASELINE_DECAY_FACTOR, defaults.decayFactor(), 0.001, 1.0),
                env.integer(BASELINE_WINDOW_DAYS, defaults.windowDays(), 1, 365),
                env.integer(BASELINE_MIN_SAMPLES, defaults.minSamples(), 1, 10_000),
                env.decimal(BASELINE_ANOMALY_THRESHOLD_STD, defaults.thresholdStd(), 0.1, 20));
    }
}
