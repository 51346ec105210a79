package dev.hsi.bench;

import dev.hsi.detect.AppDetectionWriter.Box;
import dev.hsi.detect.AppDetectionWriter.Upload;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The benchmark's detections, generated in upload order: image uploads spread evenly over a span of time, each on one
 * of the cameras with one to four objects. Deterministic (seeded), so the writer and COPY get identical rows.
 */
final class BenchDetections {

    private static final String[] LABELS = {"person", "person", "person", "person", "car", "car", "car", "dog",
        "cat", "truck", "bicycle"};

    private final long totalRows;
    private final int cameras;
    private final Instant start;
    private final Instant end;
    private final long spanMicros;
    private final SplittableRandom random = new SplittableRandom(20261122L);
    private long rowsMade;
    private long uploadsMade;

    BenchDetections(long totalRows, int cameras, Instant start, Instant end) {
        this.totalRows = totalRows;
        this.cameras = cameras;
        this.start = start;
        this.end = end;
        this.spanMicros = ChronoUnit.MICROS.between(start, end);
    }

    static String cameraId(int index) {
        return String.format(Locale.ROOT, "cam%02d", index + 1);
    }

    long rowsMade() {
        return rowsMade;
    }

    boolean hasMore() {
        return rowsMade < totalRows;
    }

    /** The next uploads, holding about {@code rows} rows (never more than the total). */
    List<Upload> next(long rows) {
        List<Upload> uploads = new ArrayList<>();
        long target = Math.min(totalRows, rowsMade + rows);
        while (rowsMade < target) {
            int objects = (int) Math.min(1 + random.nextInt(4), target - rowsMade);
            // time advances with the rows, so rows are evenly spread over the span (in double: span x rows
            // overflows a long)
            Instant at = start.plus(Duration.of((long) ((double) spanMicros * rowsMade / totalRows), ChronoUnit.MICROS));
            if (at.isBefore(start) || !at.isBefore(end)) {
                throw new IllegalStateException("upload time " + at + " outside " + start + " .. " + end);
            }
            int camera = random.nextInt(cameras);
            List<Box> boxes = new ArrayList<>(objects);
            for (int i = 0; i < objects; i++) {
                int x = random.nextInt(1800);
                int y = random.nextInt(1000);
                boxes.add(new Box(LABELS[random.nextInt(LABELS.length)], 0.3 + random.nextDouble() * 0.69, x, y,
                        20 + random.nextInt(300), 20 + random.nextInt(400)));
            }
            long upload = uploadsMade++;
            uploads.add(new Upload(cameraId(camera), "/data/foscam/" + cameraId(camera) + "/snap-" + upload + ".jpg",
                    String.format(Locale.ROOT, "%064x", upload * 0x9E3779B97F4A7C15L & Long.MAX_VALUE), at, boxes));
            rowsMade += objects;
        }
        return uploads;
    }

    static long rows(List<Upload> uploads) {
        return uploads.stream().mapToLong(u -> u.boxes().size()).sum();
    }

    /** The columns {@link #copyText} fills, the ones the detect stage's writer sets for an image. */
    static final String COPY_COLUMNS = "camera_id, file_path, file_type, file_hash, detected_at, media_type, "
            + "object_type, confidence, bbox_x, bbox_y, bbox_width, bbox_height, object_index";

    /** The columns {@link #processedCopyText} fills, the ones the detect stage's writer sets. */
    static final String PROCESSED_COPY_COLUMNS = "file_path, uploaded_at, file_hash, camera_id, object_count";

    /** The same rows as COPY text format, made before timing so that COPY is measured at its fastest. */
    static byte[] copyText(List<Upload> uploads) {
        StringBuilder text = new StringBuilder(uploads.size() * 400);
        for (Upload u : uploads) {
            for (int i = 0; i < u.boxes().size(); i++) {
                Box b = u.boxes().get(i);
                text.append(u.cameraId()).append('\t').append(u.filePath()).append("\timage/jpeg\t")
                        .append(u.fileHash()).append('\t').append(u.detectedAt()).append("\timage\t")
                        .append(b.label()).append('\t').append(b.confidence()).append('\t').append(b.x()).append('\t')
                        .append(b.y()).append('\t').append(b.width()).append('\t').append(b.height()).append('\t')
                        .append(i).append('\n');
            }
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The uploads' {@code processed_uploads} rows as COPY text format: the writer stores one per upload too. */
    static byte[] processedCopyText(List<Upload> uploads) {
        StringBuilder text = new StringBuilder(uploads.size() * 160);
        for (Upload u : uploads) {
            text.append(u.filePath()).append('\t').append(u.detectedAt()).append('\t').append(u.fileHash())
                    .append('\t').append(u.cameraId()).append('\t').append(u.boxes().size()).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
