package dev.hsi.detect.backend;

import dev.hsi.detect.DetectedObject;
import dev.hsi.detect.Frame;
import dev.hsi.queue.PermanentFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The detector service's answer, {@code {"detections":[{"class","confidence","bbox"}],"image_width","image_height"}},
 * checked for shape. Parsing happens on the HTTP client's threads (so a malformed answer can be retried there);
 * mapping to image pixels happens later on the caller's thread, because a {@link Frame} is not thread-safe.
 */
final class HttpDetectorResponse {

    /** A 2xx answer that is not the contract: a broken proxy's error page, a truncated body. Worth another try. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    /** A box as the service sent it, in (possibly fractional, possibly out-of-image) pixels. */
    private record Box(String label, double confidence, double x, double y, double width, double height) {
    }

    private final List<Box> boxes;
    private final int imageWidth;
    private final int imageHeight;

    private HttpDetectorResponse(List<Box> boxes, int imageWidth, int imageHeight) {
        this.boxes = boxes;
        this.imageWidth = imageWidth;
        this.imageHeight = imageHeight;
    }

    static HttpDetectorResponse parse(byte[] body) throws Malformed {
        String text = new String(body, StandardCharsets.UTF_8);
        JsonObject json;
        try {
            json = new JsonObject(text);
        } catch (RuntimeException e) {
            throw new Malformed("response is not a JSON object: " + snippet(text));
        }
        if (!(json.getValue("detections") instanceof JsonArray detections)) {
            throw new Malformed("response has no \"detections\" array: " + snippet(text));
        }
        List<Box> boxes = new ArrayList<>(detections.size());
        for (int i = 0; i < detections.size(); i++) {
            if (!(detections.getValue(i) instanceof JsonObject detection)) {
                throw new Malformed("detection " + i + " is not an object");
            }
            boxes.add(box(i, detection));
        }
        return new HttpDetectorResponse(boxes, dimension(json, "image_width"), dimension(json, "image_height"));
    }

    private static Box box(int index, JsonObject detection) throws Malformed {
        if (!(detection.getValue("class") instanceof String label) || label.isBlank()) {
            throw new Malformed("detection " + index + " has no \"class\" name");
        }
        double confidence = number(index, "confidence", detection.getValue("confidence"));
        Object bbox = detection.getValue("bbox");
        if (bbox instanceof JsonObject box) {
            return new Box(label, confidence, number(index, "bbox.x", box.getValue("x")),
                    number(index, "bbox.y", box.getValue("y")), number(index, "bbox.width", box.getValue("width")),
                    number(index, "bbox.height", box.getValue("height")));
        }
        // some versions of the service send [x, y, width, height]
        if (bbox instanceof JsonArray box && box.size() == 4) {
            return new Box(label, confidence, number(index, "bbox[0]", box.getValue(0)),
                    number(index, "bbox[1]", box.getValue(1)), number(index, "bbox[2]", box.getValue(2)),
                    number(index, "bbox[3]", box.getValue(3)));
        }
        throw new Malformed("detection " + index + " has no \"bbox\" object or [x, y, width, height] array");
    }

    private static double number(int index, String field, Object value) throws Malformed {
        if (!(value instanceof Number number)) {
            throw new Malformed("detection " + index + " field \"" + field + "\" is not a number: " + value);
        }
        return number.doubleValue();
    }

    /** 0 when absent or unusable: the size is only a clamp bound, and the frame's own size can stand in for it. */
    private static int dimension(JsonObject json, String field) {
        return json.getValue(field) instanceof Number number && number.doubleValue() >= 1
                ? (int) Math.round(number.doubleValue())
                : 0;
    }

    /**
     * The boxes rounded to whole pixels and clamped to the image the service says it saw, or else to the frame.
     * A box left empty by clamping locates nothing and is dropped.
     */
    List<DetectedObject> objects(Frame frame) {
        if (boxes.isEmpty()) {
            return List.of();
        }
        int width = imageWidth;
        int height = imageHeight;
        if (width == 0 || height == 0) {
            int[] size = frameSize(frame);
            width = width == 0 ? size[0] : width;
            height = height == 0 ? size[1] : height;
        }
        List<DetectedObject> objects = new ArrayList<>(boxes.size());
        for (Box box : boxes) {
            int left = clamp(box.x(), width);
            int top = clamp(box.y(), height);
            int right = clamp(box.x() + box.width(), width);
            int bottom = clamp(box.y() + box.height(), height);
            if (right > left && bottom > top) {
                objects.add(new DetectedObject(box.label(), box.confidence(), left, top, right - left, bottom - top));
            }
        }
        return objects;
    }

    private static int[] frameSize(Frame frame) {
        try {
            return new int[] {frame.width(), frame.height()};
        } catch (PermanentFailure e) {
            // the service decoded what this JVM cannot (an image type without an ImageIO reader); its boxes still
            // count, only the upper clamp is lost
            return new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE};
        }
    }

    private static int clamp(double value, int limit) {
        return (int) Math.max(0, Math.min(limit, Math.round(value)));
    }

    /** The start of a body for an error message: enough to recognise an HTML error page, never a whole one. */
    static String snippet(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.isEmpty() ? "(empty body)" : flat.length() <= 120 ? flat : flat.substring(0, 120) + "...";
    }
}
