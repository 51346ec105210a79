package dev.hsi.retention;

import java.util.List;

/**
 * What one committed step of a cleanup removed: rows of the table, the rows that referenced them (event-detection
 * links, alerts), and the files of removed detections.
 */
record Removed(long rows, long links, long alerts, List<DetectionFiles> files) {
}
