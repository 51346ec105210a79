package dev.hsi.detect;

import dev.hsi.detect.DetectionRepository.Upload;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameters of {@link DetectionSql#STORE_UPLOADS} for a group of uploads: the distinct uploads in the
 * statement's order (ascending detected_at, then file, camera, hash), their objects as parallel arrays, and the way
 * back from the statement's upload positions to the caller's order.
 *
 * <p>Uploads with the same key are one job claimed twice in one group (pushed twice): the statement gets it once,
 * since one statement cannot write one row twice, and both get its rows back.
 */
final class UploadArrays {

    /** What makes an upload's rows its own: the unique key of {@code detections} without the object's index. */
    private record Key(Instant detectedAt, String filePath, String cameraId, String fileHash) {
    }

    private static final Comparator<Key> STATEMENT_ORDER = Comparator.comparing(Key::detectedAt)
            .thenComparing(Key::filePath).thenComparing(Key::cameraId)
            .thenComparing(Key::fileHash, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final Tuple parameters;
    private final int[] statementUploadOfCaller;
    private final int distinctUploads;

    private UploadArrays(Tuple parameters, int[] statementUploadOfCaller, int distinctUploads) {
        this.parameters = parameters;
        this.statementUploadOfCaller = statementUploadOfCaller;
        this.distinctUploads = distinctUploads;
    }

    static UploadArrays of(List<Upload> uploads) {
        Map<Key, Upload> distinct = new TreeMap<>(STATEMENT_ORDER);
        for (Upload upload : uploads) {
            distinct.putIfAbsent(keyOf(upload), upload);
        }
        List<Key> order = new ArrayList<>(distinct.keySet());
        int[] statementUploadOfCaller = new int[uploads.size()];
        for (int i = 0; i < uploads.size(); i++) {
            statementUploadOfCaller[i] = order.indexOf(keyOf(uploads.get(i)));
        }
        return new UploadArrays(parameters(new ArrayList<>(distinct.values())), statementUploadOfCaller,
                distinct.size());
    }

    Tuple parameters() {
        return parameters;
    }

    int distinctUploads() {
        return distinctUploads;
    }

    /** {@code byStatementUpload} (indexed by the statement's upload position - 1), in the caller's order. */
    <T> List<T> inCallerOrder(List<T> byStatementUpload) {
        List<T> inOrder = new ArrayList<>(statementUploadOfCaller.length);
        for (int statementUpload : statementUploadOfCaller) {
            inOrder.add(byStatementUpload.get(statementUpload));
        }
        return inOrder;
    }

    private static Key keyOf(Upload upload) {
        return new Key(upload.detectedAt(), upload.filePath(), upload.cameraId(), upload.fileHash());
    }

    private static Tuple parameters(List<Upload> uploads) {
        int u = uploads.size();
        String[] cameras = new String[u];
        String[] paths = new String[u];
        String[] fileTypes = new String[u];
        String[] hashes = new String[u];
        OffsetDateTime[] detectedAt = new OffsetDateTime[u];
        String[] mediaTypes = new String[u];
        Double[] durations = new Double[u];
        String[] codecs = new String[u];
        Integer[] videoWidths = new Integer[u];
        Integer[] videoHeights = new Integer[u];
        Integer[] objectCounts = new Integer[u];
        int n = uploads.stream().mapToInt(upload -> upload.found().size()).sum();
        Integer[] uploadOf = new Integer[n];
        Integer[] objectIndex = new Integer[n];
        String[] types = new String[n];
        Double[] confidences = new Double[n];
        Integer[] xs = new Integer[n];
        Integer[] ys = new Integer[n];
        Integer[] widths = new Integer[n];
        Integer[] heights = new Integer[n];
        JsonObject[] enrichment = new JsonObject[n];
        Integer[] zoneFirst = new Integer[n];
        Integer[] zoneLast = new Integer[n];
        List<String> zoneIds = new ArrayList<>();
        int object = 0;
        for (int i = 0; i < u; i++) {
            Upload upload = uploads.get(i);
            MediaInfo media = upload.media();
            cameras[i] = upload.cameraId();
            paths[i] = upload.filePath();
            fileTypes[i] = media.fileType();
            hashes[i] = upload.fileHash();
            detectedAt[i] = upload.detectedAt().atOffset(ZoneOffset.UTC);
            mediaTypes[i] = media.mediaType();
            durations[i] = media.duration();
            codecs[i] = media.videoCodec();
            videoWidths[i] = media.videoWidth();
            videoHeights[i] = media.videoHeight();
            objectCounts[i] = upload.found().size();
            for (int k = 0; k < upload.found().size(); k++, object++) {
                FoundObject found = upload.found().get(k);
                DetectedObject o = found.object();
                uploadOf[object] = i + 1;
                objectIndex[object] = k;
                types[object] = o.label();
                confidences[object] = o.confidence();
                xs[object] = o.x();
                ys[object] = o.y();
                widths[object] = o.width();
                heights[object] = o.height();
                Double offset = found.frameOffsetSeconds();
                enrichment[object] = offset == null ? null : new JsonObject().put("frame_offset_seconds", offset);
                zoneFirst[object] = zoneIds.size() + 1;
                zoneIds.addAll(upload.zoneIds().get(k));
                zoneLast[object] = zoneIds.size();
            }
        }
        return Tuple.tuple()
                .addArrayOfString(cameras).addArrayOfString(paths).addArrayOfString(fileTypes)
                .addArrayOfString(hashes).addArrayOfOffsetDateTime(detectedAt).addArrayOfString(mediaTypes)
                .addArrayOfDouble(durations).addArrayOfString(codecs).addArrayOfInteger(videoWidths)
                .addArrayOfInteger(videoHeights).addArrayOfInteger(objectCounts)
                .addArrayOfInteger(uploadOf).addArrayOfInteger(objectIndex).addArrayOfString(types)
                .addArrayOfDouble(confidences).addArrayOfInteger(xs).addArrayOfInteger(ys)
                .addArrayOfInteger(widths).addArrayOfInteger(heights).addArrayOfJsonObject(enrichment)
                .addArrayOfInteger(zoneFirst).addArrayOfInteger(zoneLast)
                .addArrayOfString(zoneIds.toArray(String[]::new));
    }
}
