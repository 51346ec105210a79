package dev.hsi.detect.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A detection model as data: the ONNX file plus what it takes to feed it and read it. Read from a JSON file next
 * to the model ({@code rtdetrv2.onnx} → {@code rtdetrv2.json}):
 *
 * <pre>{@code
 * {"name": "rtdetrv2_r18vd", "family": "rtdetr", "input_width": 640, "input_height": 640,
 *  "classes": "coco80", "max_batch": 8}
 * }</pre>
 *
 * The family fixes the layout, normalisation and output decoder: {@code centernet} (NHWC RGB 0..255, one output
 * {@code [N,100,6]}) or {@code rtdetr} (NCHW RGB 0..1 plus {@code orig_target_sizes}; outputs {@code labels},
 * {@code boxes} xyxy in original pixels, {@code scores}). {@code classes} is {@code coco80} or a list of names.
 *
 * @param maxBatch the most images per inference call; 1 for models exported with a fixed batch dimension
 */
public record ModelDescriptor(
        String name, Path file, String family, int inputWidth, int inputHeight, List<String> classes, int maxBatch) {

    public static final String CENTERNET = "centernet";
    public static final String RTDETR = "rtdetr";

    /** The built-in CenterNet COCO-80 model (batch dimension fixed at 1 by its graph). */
    public static ModelDescriptor centerNet(Path file) {
        return new ModelDescriptor("centernet-coco80", file, CENTERNET, CenterNetModel.INPUT_SIZE,
                CenterNetModel.INPUT_SIZE, CocoLabels.NAMES, 1);
    }

    /** Reads the descriptor next to an ONNX model; a missing or bad descriptor is an error naming the file. */
    public static ModelDescriptor forModel(Path modelFile) throws IOException {
        String fileName = modelFile.getFileName().toString();
        Path descriptorFile = modelFile.resolveSibling(fileName.replaceFirst("\\.onnx$", "") + ".json");
        if (!Files.isRegularFile(descriptorFile)) {
            throw new IOException("model descriptor " + descriptorFile + " is missing (see native/README.md)");
        }
        JsonObject json;
        try {
            json = new JsonObject(Files.readString(descriptorFile));
        } catch (RuntimeException e) {
            throw new IOException(descriptorFile + " is not a JSON object: " + e.getMessage(), e);
        }
        String family = json.getString("family", "");
        if (!family.equals(CENTERNET) && !family.equals(RTDETR)) {
            throw new IOException(descriptorFile + ": family must be centernet or rtdetr, got '" + family + "'");
        }
        Object classes = json.getValue("classes", "coco80");
        List<String> names;
        if ("coco80".equals(classes)) {
            names = CocoLabels.NAMES;
        } else if (classes instanceof JsonArray array && !array.isEmpty()) {
            names = array.stream().map(String::valueOf).toList();
        } else {
            throw new IOException(descriptorFile + ": classes must be \"coco80\" or a list of class names");
        }
        int width = json.getInteger("input_width", 640);
        int height = json.getInteger("input_height", 640);
        int maxBatch = json.getInteger("max_batch", 1);
        if (width <= 0 || height <= 0 || maxBatch <= 0) {
            throw new IOException(descriptorFile + ": input_width, input_height and max_batch must be positive");
        }
        return new ModelDescriptor(json.getString("name", fileName), modelFile, family, width, height, names, maxBatch);
    }

    public String className(int index) {
        return index >= 0 && index < classes.size() ? classes.get(index) : "class_" + index;
    }
}
