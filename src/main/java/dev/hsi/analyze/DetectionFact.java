package dev.hsi.analyze;

import java.time.Instant;

/** What the analyser knows of one detection of a batch. */
record DetectionFact(long id, Instant detectedAt, String objectType, double confidence) {
}
