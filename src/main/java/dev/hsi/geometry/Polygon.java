package dev.hsi.geometry;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A simple polygon in normalised image coordinates (0..1, origin top left), as zones store it: {@code [[x,y],...]},
 * closed implicitly from the last point back to the first. Shared by the API, which validates zones, and the detect
 * stage, which tests detections against them.
 */
public record Polygon(List<Point> points) {

    /** Tolerance for "on the boundary" and "collinear", far below a pixel of any camera. */
    private static final double EPSILON = 1e-9;

    public record Point(double x, double y) {
    }

    public Polygon {
        points = List.copyOf(points);
        if (points.size() < 3) {
            throw new IllegalArgumentException("a polygon needs at least 3 points, got " + points.size());
        }
    }

    /**
     * Parses {@code [[x,y],...]} into a polygon. Ranges and shape are checked by {@link #outsideUnitSquare()} and
     * {@link #defect()}.
     *
     * @throws IllegalArgumentException naming the first bad element, or when there are fewer than 3 points
     */
    public static Polygon fromJson(JsonArray coordinates) {
        List<Point> points = pointsFromJson(coordinates);
        if (points.size() < 3) {
            throw new IllegalArgumentException("a polygon needs at least 3 points, got " + points.size());
        }
        return new Polygon(points);
    }

    /** Parses {@code [[x,y],...]}, however many; every point must be a pair of numbers. */
    public static List<Point> pointsFromJson(JsonArray coordinates) {
        List<Point> points = new ArrayList<>(coordinates.size());
        for (int i = 0; i < coordinates.size(); i++) {
            Object element = coordinates.getValue(i);
            if (!(element instanceof JsonArray pair) || pair.size() != 2
                    || !(pair.getValue(0) instanceof Number x) || !(pair.getValue(1) instanceof Number y)) {
                throw new IllegalArgumentException("point " + (i + 1) + " must be a pair of numbers [x, y], got "
                        + element);
            }
            points.add(new Point(x.doubleValue(), y.doubleValue()));
        }
        return points;
    }

    public JsonArray toJson() {
        JsonArray json = new JsonArray();
        points.forEach(p -> json.add(new JsonArray().add(p.x()).add(p.y())));
        return json;
    }

    /** The first point outside 0..1 (or not a finite number), described; empty when all are inside. */
    public Optional<String> outsideUnitSquare() {
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (!inUnitRange(p.x()) || !inUnitRange(p.y())) {
                return Optional.of("point " + (i + 1) + " [" + p.x() + ", " + p.y()
                        + "] is outside the image: x and y must be between 0 and 1");
            }
        }
        return Optional.empty();
    }

    /**
     * Why this is not a simple polygon, or empty when it is: a point repeated, no area (all points on one line), or
     * two edges that cross or touch (the outline intersects itself). Points are counted from 1.
     */
    public Optional<String> defect() {
        int n = points.size();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (same(points.get(i), points.get(j))) {
                    return Optional.of("points " + (i + 1) + " and " + (j + 1) + " are the same point");
                }
            }
        }
        if (allOnOneLine()) {
            return Optional.of("the points lie on one line and enclose no area");
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (edgesIntersect(i, j)) {
                    return Optional.of("the edge from point " + (i + 1) + " to point " + ((i + 1) % n + 1)
                            + " meets the edge from point " + (j + 1) + " to point " + ((j + 1) % n + 1)
                            + ": the outline intersects itself");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the point lies inside or on the boundary. Even-odd ray casting, which is exact for concave polygons;
     * points on an edge or a vertex count as inside.
     */
    public boolean contains(double x, double y) {
        int n = points.size();
        boolean inside = false;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            Point a = points.get(i);
            Point b = points.get(j);
            if (onSegment(a, b, x, y)) {
                return true;
            }
            if ((a.y() > y) != (b.y() > y)) {
                double crossingX = (b.x() - a.x()) * (y - a.y()) / (b.y() - a.y()) + a.x();
                if (x < crossingX) {
                    inside = !inside;
                }
            }
        }
        return inside;
    }

    /** Whether the points form an axis-aligned rectangle (two distinct x and two distinct y values, four corners). */
    public boolean isAxisAlignedRectangle() {
        if (points.size() != 4 || defect().isPresent()) {
            return false;
        }
        long xs = points.stream().mapToDouble(Point::x).distinct().count();
        long ys = points.stream().mapToDouble(Point::y).distinct().count();
        return xs == 2 && ys == 2;
    }

    private boolean allOnOneLine() {
        Point first = points.get(0);
        Point second = points.get(1);
        for (Point p : points.subList(2, points.size())) {
            if (Math.abs(orientation(first, second, p)) > EPSILON) {
                return false;
            }
        }
        return true;
    }

    /**
     * Edges i (point i to i+1) and j. Neighbouring edges share a point and may only meet there: they are defective
     * when they fold back onto each other. Other edges must not meet at all.
     */
    private boolean edgesIntersect(int i, int j) {
        int n = points.size();
        Point a1 = points.get(i);
        Point a2 = points.get((i + 1) % n);
        Point b1 = points.get(j);
        Point b2 = points.get((j + 1) % n);
        if ((i + 1) % n == j) {
            return foldsBack(a1, a2, b2);
        }
        if ((j + 1) % n == i) {
            return foldsBack(b1, b2, a2);
        }
        return segmentsMeet(a1, a2, b1, b2);
    }

    /** Edges a→shared and shared→c fold back when c lies on the first edge or a lies on the second. */
    private static boolean foldsBack(Point a, Point shared, Point c) {
        return onSegment(a, shared, c.x(), c.y()) || onSegment(shared, c, a.x(), a.y());
    }

    private static boolean segmentsMeet(Point p1, Point p2, Point p3, Point p4) {
        double d1 = orientation(p3, p4, p1);
        double d2 = orientation(p3, p4, p2);
        double d3 = orientation(p1, p2, p3);
        double d4 = orientation(p1, p2, p4);
        if (opposite(d1, d2) && opposite(d3, d4)) {
            return true;
        }
        return onSegment(p3, p4, p1.x(), p1.y()) || onSegment(p3, p4, p2.x(), p2.y())
                || onSegment(p1, p2, p3.x(), p3.y()) || onSegment(p1, p2, p4.x(), p4.y());
    }

    private static boolean opposite(double a, double b) {
        return (a > EPSILON && b < -EPSILON) || (a < -EPSILON && b > EPSILON);
    }

    private static double orientation(Point a, Point b, Point c) {
        return (b.x() - a.x()) * (c.y() - a.y()) - (b.y() - a.y()) * (c.x() - a.x());
    }

    private static boolean onSegment(Point a, Point b, double x, double y) {
        double cross = (b.x() - a.x()) * (y - a.y()) - (b.y() - a.y()) * (x - a.x());
        double length = Math.hypot(b.x() - a.x(), b.y() - a.y());
        if (Math.abs(cross) > EPSILON * Math.max(length, 1)) {
            return false;
        }
        return x >= Math.min(a.x(), b.x()) - EPSILON && x <= Math.max(a.x(), b.x()) + EPSILON
                && y >= Math.min(a.y(), b.y()) - EPSILON && y <= Math.max(a.y(), b.y()) + EPSILON;
    }

    private static boolean same(Point a, Point b) {
        return Math.abs(a.x() - b.x()) < EPSILON && Math.abs(a.y() - b.y()) < EPSILON;
    }

    private static boolean inUnitRange(double value) {
        return Double.isFinite(value) && value >= 0 && value <= 1;
    }
}
