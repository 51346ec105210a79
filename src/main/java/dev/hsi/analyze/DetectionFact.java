package dev.hsi.analyze;

import java.time.Instant;
import java.util.List;

/** What the analyser knows of one detection of a batch, with the zones it stood in. */
record DetectionFact(long id, Instant detectedAt, String objectType, double confidence, List<ZoneRef> zones) {

    DetectionFact {
        zones = List.copyOf(zones);
    }
}
