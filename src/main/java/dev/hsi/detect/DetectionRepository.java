package dev.hsi.detect;

import dev.hsi.bus.StoredDetection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the detections of a group of uploads, each upload once however often its job runs, with their
 * {@code processed_uploads} rows; and later their thumbnails' paths.
 */
final class DetectionRepository {

    private final Pool pool;

    DetectionRepository(Pool pool) {
        this.pool = pool;
    }

    /** A stored row with the box it was stored with, for thumbnails. */
    record Stored(StoredDetection detection, DetectedObject box, Double frameOffsetSeconds) {
    }

    /**
     * What one upload has to store: its key (file, camera, content hash, {@code detectedAt}), its media, the objects
     * kept (maybe none) and, in object order, the ids of the zones each one stands in.
     */
    record Upload(String cameraId, String filePath, String fileHash, Instant detectedAt, MediaInfo media,
            List<FoundObject> found, List<List<String>> zoneIds) {

        Upload {
            if (zoneIds.size() != found.size()) {
                throw new IllegalArgumentException(found.size() + " objects but " + zoneIds.size() + " zone lists");
            }
        }
    }

    /**
     * Stores the objects of every upload of {@code uploads} and marks each upload processed, in one statement, and
     * returns each upload's rows (in {@code uploads}' order; each list in object order). An upload stored before
     * (same file, camera, content hash and {@code detectedAt}) gets the rows its first run stored, with their ids,
     * and writes nothing: detections are immutable, and the downstream stages recognise the ids. The statement is
     * all or nothing: when it fails, no upload of the group was written.
     */
    Uni<List<List<Stored>>> store(List<Upload> uploads) {
        if (uploads.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        UploadArrays arrays = UploadArrays.of(uploads);
        return pool.preparedQuery(DetectionSql.STORE_UPLOADS).execute(arrays.parameters()).map(rows -> {
            List<List<Stored>> byStatementUpload = new ArrayList<>(arrays.distinctUploads());
            for (int i = 0; i < arrays.distinctUploads(); i++) {
                byStatementUpload.add(new ArrayList<>());
            }
            rows.forEach(row -> byStatementUpload.get(row.getInteger("upload") - 1).add(fromRow(row)));
            return arrays.inCallerOrder(byStatementUpload);
        });
    }

    Uni<Void> setThumbnails(List<StoredDetection> detections, List<Path> thumbnails) {
        if (detections.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] ids = detections.stream().map(StoredDetection::id).toArray(Long[]::new);
        OffsetDateTime[] times = detections.stream().map(d -> d.detectedAt().atOffset(ZoneOffset.UTC))
                .toArray(OffsetDateTime[]::new);
        String[] paths = thumbnails.stream().map(Path::toString).toArray(String[]::new);
        return pool.preparedQuery(DetectionSql.UPDATE_THUMBNAIL_PATHS).execute(Tuple.of(ids, times, paths))
                .replaceWithVoid();
    }

    private static Stored fromRow(Row row) {
        String type = row.getString("object_type");
        double confidence = row.getDouble("confidence");
        StoredDetection detection = new StoredDetection(row.getLong("id"),
                row.getOffsetDateTime("detected_at").toInstant(), row.getString("camera_id"), type, confidence);
        DetectedObject box = new DetectedObject(type, confidence, row.getInteger("bbox_x"), row.getInteger("bbox_y"),
                row.getInteger("bbox_width"), row.getInteger("bbox_height"));
        JsonObject enrichment = (JsonObject) row.getValue("enrichment_data");
        Double offset = enrichment == null ? null : enrichment.getDouble("frame_offset_seconds");
        return new Stored(detection, box, offset);
    }
}
