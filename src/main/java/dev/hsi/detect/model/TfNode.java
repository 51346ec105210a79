package dev.hsi.detect.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One node of a TF.js {@code modelTopology}, with typed access to its attributes. TF.js writes
 * attribute values in protobuf JSON form: int64 as strings, bytes (strings) as base64.
 */
record TfNode(String name, String op, List<String> inputs, JsonObject attrs) {

    static TfNode of(JsonObject json) {
        JsonArray in = json.getJsonArray("input", new JsonArray());
        List<String> inputs = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            String ref = in.getString(i);
            // "^name" is a control dependency: it orders execution but carries no data.
            if (!ref.startsWith("^")) {
                inputs.add(ref);
            }
        }
        return new TfNode(json.getString("name"), json.getString("op"), List.copyOf(inputs),
                json.getJsonObject("attr", new JsonObject()));
    }

    /** The producing node's name of an input reference ("node" or "node:1"). */
    static String producer(String ref) {
        int colon = ref.lastIndexOf(':');
        return colon < 0 ? ref : ref.substring(0, colon);
    }

    String input(int index) {
        if (index >= inputs.size()) {
            throw fail("expected at least " + (index + 1) + " inputs, got " + inputs.size());
        }
        return inputs.get(index);
    }

    boolean has(String attr) {
        return attrs.containsKey(attr);
    }

    String string(String attr, String fallback) {
        JsonObject value = attrs.getJsonObject(attr);
        return value == null || value.getString("s") == null ? fallback : decode(value.getString("s"));
    }

    long integer(String attr, long fallback) {
        JsonObject value = attrs.getJsonObject(attr);
        return value == null || value.getValue("i") == null ? fallback : Long.parseLong(value.getValue("i").toString());
    }

    boolean bool(String attr, boolean fallback) {
        JsonObject value = attrs.getJsonObject(attr);
        return value == null || value.getBoolean("b") == null ? fallback : value.getBoolean("b");
    }

    /** A TensorFlow DataType name such as DT_FLOAT. */
    String type(String attr, String fallback) {
        JsonObject value = attrs.getJsonObject(attr);
        return value == null || value.getString("type") == null ? fallback : value.getString("type");
    }

    long[] integers(String attr) {
        JsonArray list = listOf(attr, "i");
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Long.parseLong(list.getValue(i).toString());
        }
        return out;
    }

    List<String> strings(String attr) {
        JsonArray list = listOf(attr, "s");
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(decode(list.getString(i)));
        }
        return out;
    }

    IllegalArgumentException fail(String message) {
        return new IllegalArgumentException(op + " node '" + name + "': " + message);
    }

    private JsonArray listOf(String attr, String kind) {
        JsonObject value = attrs.getJsonObject(attr);
        JsonObject list = value == null ? null : value.getJsonObject("list");
        JsonArray items = list == null ? null : list.getJsonArray(kind);
        return items == null ? new JsonArray() : items;
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
