package dev.hsi.zones;

import dev.hsi.geometry.Polygon;
import dev.hsi.geometry.Polygon.Point;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Reads a zone from a request body. A create needs {@code name} and {@code coordinates}; an update changes only the
 * fields it names. Coordinates are normalised {@code [[x,y],...]}:
 * <ul>
 *   <li>a polygon: at least 3 points (at most {@value #MAX_POINTS}), each inside 0..1, a simple outline (no point
 *       repeated, some area, no edge meeting another);</li>
 *   <li>a rectangle: 2 opposite corners, stored as its 4 corners (top-left, top-right, bottom-right, bottom-left), or
 *       those 4 corners in order around it.</li>
 * </ul>
 * Without {@code shape}, 2 points or 4 corners of an axis-aligned rectangle make a rectangle, anything else a polygon.
 */
public final class ZoneInput {

    public static final Set<String> ZONE_TYPES = Set.of("entry_point", "exit_point", "restricted", "driveway",
            "walkway", "sidewalk", "yard", "perimeter", "monitored", "other");
    public static final Set<String> SHAPES = Set.of("rectangle", "polygon");
    static final int MAX_POINTS = 100;
    static final String DEFAULT_COLOR = "#3B82F6";

    private ZoneInput() {
    }

    /** A new zone's fields; the seed's defaults for those not given. */
    public static ZoneDraft forCreate(JsonObject body) {
        if (!body.containsKey("name")) {
            throw new InvalidZoneException("name", "is required");
        }
        if (!body.containsKey("coordinates")) {
            throw new InvalidZoneException("coordinates", "is required: [[x, y], ...] with x and y between 0 and 1");
        }
        Shaped shaped = shaped(body.getValue("coordinates"), body.getValue("shape"));
        return new ZoneDraft(
                name(body.getValue("name")),
                oneOf("zone_type", body.getValue("zone_type"), ZONE_TYPES, "other"),
                shaped.polygon(),
                shaped.shape(),
                color(body.getValue("color"), DEFAULT_COLOR),
                bool("enabled", body.getValue("enabled"), true),
                priority(body.getValue("priority"), 0));
    }

    /** The zone with the fields the body names changed, all validated again. */
    public static ZoneDraft forUpdate(ZoneDraft current, JsonObject body) {
        Shaped shaped;
        if (body.containsKey("coordinates")) {
            shaped = shaped(body.getValue("coordinates"), body.getValue("shape"));
        } else if (body.containsKey("shape")) {
            shaped = shaped(current.coordinates().toJson(), body.getValue("shape"));
        } else {
            shaped = new Shaped(current.coordinates(), current.shape());
        }
        return new ZoneDraft(
                body.containsKey("name") ? name(body.getValue("name")) : current.name(),
                body.containsKey("zone_type")
                        ? oneOf("zone_type", body.getValue("zone_type"), ZONE_TYPES, null) : current.zoneType(),
                shaped.polygon(),
                shaped.shape(),
                body.containsKey("color") ? color(body.getValue("color"), null) : current.color(),
                body.containsKey("enabled") ? bool("enabled", body.getValue("enabled"), null) : current.enabled(),
                body.containsKey("priority") ? priority(body.getValue("priority"), null) : current.priority());
    }

    private record Shaped(Polygon polygon, String shape) {
    }

    private static Shaped shaped(Object rawCoordinates, Object rawShape) {
        String shape = oneOf("shape", rawShape, SHAPES, "");
        if (!(rawCoordinates instanceof JsonArray array)) {
            throw new InvalidZoneException("coordinates", "must be an array of [x, y] points, got " + rawCoordinates);
        }
        if (array.size() > MAX_POINTS) {
            throw new InvalidZoneException("coordinates", "at most " + MAX_POINTS + " points, got " + array.size());
        }
        Polygon polygon;
        if (array.size() == 2 && !shape.equals("polygon")) {
            polygon = rectangleFromCorners(array);
            shape = "rectangle";
        } else {
            polygon = parse(array);
            check(polygon);
            if (shape.equals("rectangle") && !polygon.isAxisAlignedRectangle()) {
                throw new InvalidZoneException("coordinates", "a rectangle is 2 opposite corners, or its 4 corners"
                        + " in order around it, with sides parallel to the image's; use shape \"polygon\" for "
                        + polygon.points().size() + " points like these");
            }
            if (shape.isEmpty()) {
                shape = polygon.isAxisAlignedRectangle() ? "rectangle" : "polygon";
            }
        }
        return new Shaped(polygon, shape);
    }

    private static Polygon rectangleFromCorners(JsonArray corners) {
        List<Point> two;
        try {
            two = Polygon.pointsFromJson(corners);
        } catch (IllegalArgumentException e) {
            throw new InvalidZoneException("coordinates", e.getMessage());
        }
        for (int i = 0; i < 2; i++) {
            Point p = two.get(i);
            if (!(p.x() >= 0 && p.x() <= 1 && p.y() >= 0 && p.y() <= 1)) {
                throw new InvalidZoneException("coordinates", "corner " + (i + 1) + " [" + p.x() + ", " + p.y()
                        + "] is outside the image: x and y must be between 0 and 1");
            }
        }
        double left = Math.min(two.get(0).x(), two.get(1).x());
        double right = Math.max(two.get(0).x(), two.get(1).x());
        double top = Math.min(two.get(0).y(), two.get(1).y());
        double bottom = Math.max(two.get(0).y(), two.get(1).y());
        if (left == right || top == bottom) {
            throw new InvalidZoneException("coordinates", "the two corners of a rectangle must differ in x and in y");
        }
        return new Polygon(List.of(new Point(left, top), new Point(right, top), new Point(right, bottom),
                new Point(left, bottom)));
    }

    private static Polygon parse(JsonArray array) {
        try {
            return Polygon.fromJson(array);
        } catch (IllegalArgumentException e) {
            throw new InvalidZoneException("coordinates", e.getMessage());
        }
    }

    private static void check(Polygon polygon) {
        polygon.outsideUnitSquare().ifPresent(reason -> {
            throw new InvalidZoneException("coordinates", reason);
        });
        polygon.defect().ifPresent(reason -> {
            throw new InvalidZoneException("coordinates", reason);
        });
    }

    private static String name(Object value) {
        if (!(value instanceof String name) || name.isBlank() || name.length() > 255) {
            throw new InvalidZoneException("name", "must be a string of 1 to 255 characters");
        }
        return name.trim();
    }

    private static String oneOf(String field, Object value, Set<String> allowed, String defaultValue) {
        if (value == null && defaultValue != null) {
            return defaultValue;
        }
        if (!(value instanceof String text) || !allowed.contains(text)) {
            throw new InvalidZoneException(field, "must be one of " + allowed.stream().sorted().toList()
                    + ", got " + (value instanceof String ? "'" + value + "'" : value));
        }
        return text;
    }

    private static String color(Object value, String defaultValue) {
        if (value == null && defaultValue != null) {
            return defaultValue;
        }
        if (!(value instanceof String color) || !color.matches("#[0-9A-Fa-f]{6}")) {
            throw new InvalidZoneException("color", "must be a hex colour #RRGGBB, got " + value);
        }
        return color.toUpperCase();
    }

    private static boolean bool(String field, Object value, Boolean defaultValue) {
        if (value == null && defaultValue != null) {
            return defaultValue;
        }
        if (!(value instanceof Boolean flag)) {
            throw new InvalidZoneException(field, "must be true or false, got " + value);
        }
        return flag;
    }

    private static int priority(Object value, Integer defaultValue) {
        if (value == null && defaultValue != null) {
            return defaultValue;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0
                || ((Number) value).longValue() > 100) {
            throw new InvalidZoneException("priority", "must be an integer from 0 to 100, got " + value);
        }
        return ((Number) value).intValue();
    }
}
