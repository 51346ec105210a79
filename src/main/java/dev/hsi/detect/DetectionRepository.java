package dev.hsi.detect;

import dev.hsi.bus.StoredDetection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
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

/** Writes the detections of one upload job (once, however often the job runs), and their thumbnails' paths. */
final class DetectionRepository {

    private final Pool pool;

    DetectionRepository(Pool pool) {
        this.pool = pool;
    }

    /** A stored row with the box it was stored with, for thumbnails. */
    record Stored(StoredDetection detection, DetectedObject box, Double frameOffsetSeconds) {
    }

    /**
     * Stores the objects of one job, each with the ids of the zones it stands in ({@code zoneIds}, in object order),
     * and returns its rows in object order. When the job ran before (same file,
     * camera, content hash and {@code detectedAt}), these are the rows that run stored, with their ids, and
     * {@code found} is not written: detections are immutable, and the downstream stages recognise the ids.
     */
    Uni<List<Stored>> insert(String cameraId, String filePath, String fileHash, Instant detectedAt, MediaInfo media,
            List<FoundObject> found, List<List<String>> zoneIds) {
        int n = found.size();
        String[] types = new String[n];
        Double[] confidences = new Double[n];
        Integer[] xs = new Integer[n];
        Integer[] ys = new Integer[n];
        Integer[] widths = new Integer[n];
        Integer[] heights = new Integer[n];
        JsonObject[] enrichment = new JsonObject[n];
        for (int i = 0; i < n; i++) {
            DetectedObject o = found.get(i).object();
            types[i] = o.label();
            confidences[i] = o.confidence();
            xs[i] = o.x();
            ys[i] = o.y();
            widths[i] = o.width();
            heights[i] = o.height();
            Double offset = found.get(i).frameOffsetSeconds();
            enrichment[i] = offset == null ? null : new JsonObject().put("frame_offset_seconds", offset);
        }
        Tuple params = Tuple.tuple()
                .addString(cameraId).addString(filePath).addString(media.fileType()).addString(fileHash)
                .addOffsetDateTime(detectedAt.atOffset(ZoneOffset.UTC))
                .addString(media.mediaType()).addDouble(media.duration()).addString(media.videoCodec())
                .addInteger(media.videoWidth()).addInteger(media.videoHeight())
                .addArrayOfString(types).addArrayOfDouble(confidences)
                .addArrayOfInteger(xs).addArrayOfInteger(ys).addArrayOfInteger(widths).addArrayOfInteger(heights)
                .addArrayOfJsonObject(enrichment)
                .addValue(new JsonArray(zoneIds.stream().map(JsonArray::new).toList()));
        return pool.preparedQuery(DetectionSql.INSERT_DETECTIONS).execute(params).map(rows -> {
            List<Stored> stored = new ArrayList<>(n);
            rows.forEach(row -> stored.add(fromRow(row)));
            return stored;
        });
    }

    Uni<Void> recordProcessed(String filePath, Instant uploadedAt, String fileHash, String cameraId, int objects) {
        return pool.preparedQuery(DetectionSql.RECORD_PROCESSED_UPLOAD)
                .execute(Tuple.of(filePath, uploadedAt.atOffset(ZoneOffset.UTC), fileHash == null ? "" : fileHash,
                        cameraId, objects))
                .replaceWithVoid();
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
