package dev.hsi.geometry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PolygonTest {

    /** A U open at the top: the notch between its arms (x 0.4..0.6, y 0.2..0.6) is outside. */
    private static final Polygon U = Polygon.fromJson(new JsonArray("[[0.2,0.2],[0.4,0.2],[0.4,0.6],[0.6,0.6],"
            + "[0.6,0.2],[0.8,0.2],[0.8,0.8],[0.2,0.8]]"));

    @Test
    @DisplayName("A concave polygon holds points in its arms and base, not in its notch or outside")
    void concavePolygon() {
        assertThat(U.contains(0.3, 0.4)).as("left arm").isTrue();
        assertThat(U.contains(0.7, 0.3)).as("right arm").isTrue();
        assertThat(U.contains(0.5, 0.7)).as("base").isTrue();
        assertThat(U.contains(0.5, 0.4)).as("notch").isFalse();
        assertThat(U.contains(0.5, 0.3)).as("notch, on the ray through two arms").isFalse();
        assertThat(U.contains(0.9, 0.5)).as("right of it").isFalse();
        assertThat(U.contains(0.5, 0.1)).as("above it").isFalse();
        assertThat(U.defect()).isEmpty();
    }

    @Test
    @DisplayName("Points on an edge or a vertex count as inside")
    void boundaryIsInside() {
        assertThat(U.contains(0.2, 0.5)).as("left edge").isTrue();
        assertThat(U.contains(0.5, 0.8)).as("bottom edge").isTrue();
        assertThat(U.contains(0.5, 0.6)).as("notch floor").isTrue();
        assertThat(U.contains(0.4, 0.4)).as("notch wall").isTrue();
        assertThat(U.contains(0.8, 0.8)).as("vertex").isTrue();
        assertThat(U.contains(0.6, 0.2)).as("vertex at the notch's top").isTrue();
    }

    @Test
    @DisplayName("A triangle: inside, outside, and a point level with a vertex")
    void triangle() {
        Polygon triangle = Polygon.fromJson(new JsonArray("[[0.1,0.9],[0.5,0.1],[0.9,0.9]]"));
        assertThat(triangle.contains(0.5, 0.5)).isTrue();
        assertThat(triangle.contains(0.2, 0.2)).isFalse();
        assertThat(triangle.contains(0.05, 0.1)).as("level with the apex, left of it").isFalse();
    }

    @Test
    @DisplayName("Self-intersecting, degenerate and repeated outlines are reported with the points involved")
    void defects() {
        assertThat(Polygon.fromJson(new JsonArray("[[0.1,0.1],[0.9,0.9],[0.9,0.1],[0.1,0.9]]")).defect())
                .hasValueSatisfying(reason -> assertThat(reason)
                        .isEqualTo("the edge from point 1 to point 2 meets the edge from point 3 to point 4: "
                                + "the outline intersects itself"));
        assertThat(Polygon.fromJson(new JsonArray("[[0.1,0.1],[0.5,0.5],[0.9,0.9]]")).defect())
                .hasValue("the points lie on one line and enclose no area");
        assertThat(Polygon.fromJson(new JsonArray("[[0.1,0.1],[0.5,0.1],[0.5,0.5],[0.5,0.1]]")).defect())
                .hasValue("points 2 and 4 are the same point");
        assertThat(Polygon.fromJson(new JsonArray("[[0.1,0.1],[0.9,0.1],[0.5,0.1],[0.5,0.9]]")).defect())
                .as("an edge folding back onto the previous one")
                .hasValueSatisfying(reason -> assertThat(reason).contains("intersects itself"));
        assertThat(Polygon.fromJson(new JsonArray("[[0.1,0.1],[0.9,0.1],[0.9,0.9],[0.5,0.1],[0.1,0.9]]")).defect())
                .as("a vertex touching another edge")
                .hasValueSatisfying(reason -> assertThat(reason).contains("intersects itself"));
    }

    @Test
    @DisplayName("Coordinates outside 0..1 and malformed points are named")
    void rangeAndShape() {
        assertThat(Polygon.fromJson(new JsonArray("[[0.1,0.1],[1.2,0.1],[0.5,0.9]]")).outsideUnitSquare())
                .hasValue("point 2 [1.2, 0.1] is outside the image: x and y must be between 0 and 1");
        assertThatThrownBy(() -> Polygon.fromJson(new JsonArray("[[0.1,0.1],[0.2],[0.5,0.9]]")))
                .hasMessage("point 2 must be a pair of numbers [x, y], got [0.2]");
        assertThatThrownBy(() -> Polygon.fromJson(new JsonArray("[[0.1,0.1],[0.2,0.2]]")))
                .hasMessage("a polygon needs at least 3 points, got 2");
    }

    @Test
    @DisplayName("Axis-aligned rectangles are recognised whatever corner they start at")
    void rectangles() {
        assertThat(Polygon.fromJson(new JsonArray("[[0.6,0.2],[0.6,0.7],[0.1,0.7],[0.1,0.2]]"))
                .isAxisAlignedRectangle()).isTrue();
        assertThat(Polygon.fromJson(new JsonArray("[[0.1,0.2],[0.6,0.2],[0.7,0.7],[0.1,0.7]]"))
                .isAxisAlignedRectangle()).isFalse();
    }
}
