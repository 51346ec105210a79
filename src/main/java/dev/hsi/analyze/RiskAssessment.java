package dev.hsi.analyze;

/** The judgement on one batch. */
record RiskAssessment(int score, String level, String summary, String reasoning) {

    /** The original's thresholds: low ≤ 29, medium ≤ 59, high ≤ 84, critical above. */
    static String levelOf(int score) {
        if (score <= 29) {
            return "low";
        } else if (score <= 59) {
            return "medium";
        } else if (score <= 84) {
            return "high";
        }
        return "critical";
    }
}
