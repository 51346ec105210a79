package dev.hsi.detect;

import dev.hsi.bus.StoredDetection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Writes the detections of one image. */
final class DetectionRepository {

    private final Pool pool;

    DetectionRepository(Pool pool) {
        this.pool = pool;
    }

    Uni<List<StoredDetection>> insertImageDetections(
            String cameraId, String filePath, String fileType, String fileHash, Instant detectedAt,
            List<DetectedObject> objects) {
        int n = objects.size();
        String[] types = new String[n];
        Double[] confidences = new Double[n];
        Integer[] xs = new Integer[n];
        Integer[] ys = new Integer[n];
        Integer[] widths = new Integer[n];
        Integer[] heights = new Integer[n];
        for (int i = 0; i < n; i++) {
            DetectedObject o = objects.get(i);
            types[i] = o.label();
            confidences[i] = o.confidence();
            xs[i] = o.x();
            ys[i] = o.y();
            widths[i] = o.width();
            heights[i] = o.height();
        }
        Tuple params = Tuple.tuple()
                .addString(cameraId).addString(filePath).addString(fileType).addString(fileHash)
                .addOffsetDateTime(detectedAt.atOffset(ZoneOffset.UTC))
                .addArrayOfString(types).addArrayOfDouble(confidences)
                .addArrayOfInteger(xs).addArrayOfInteger(ys).addArrayOfInteger(widths).addArrayOfInteger(heights);
        return pool.preparedQuery(DetectionSql.INSERT_IMAGE_DETECTIONS).execute(params)
                .map(rows -> {
                    List<StoredDetection> stored = new ArrayList<>(n);
                    rows.forEach(row -> stored.add(fromRow(row)));
                    return stored;
                });
    }

    private static StoredDetection fromRow(Row row) {
        OffsetDateTime detectedAt = row.getOffsetDateTime("detected_at");
        return new StoredDetection(row.getLong("id"), detectedAt.toInstant(), row.getString("camera_id"),
                row.getString("object_type"), row.getDouble("confidence"));
    }
}
