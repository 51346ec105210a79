package dev.hsi.detect;

import dev.hsi.geometry.Polygon;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The enabled zones of every camera, held in memory so that placing a detection in its zones costs no query. The
 * whole map is replaced at once ({@link #replace}) when the zones are reloaded; readers on any thread see either the
 * old or the new map, never a mix.
 */
final class ZoneIndex {

    /** One enabled zone of a camera. */
    record Area(String zoneId, Polygon polygon) {
    }

    private volatile Map<String, List<Area>> byCamera = Map.of();

    void replace(Map<String, List<Area>> zonesByCamera) {
        Map<String, List<Area>> copy = new HashMap<>();
        zonesByCamera.forEach((camera, areas) -> copy.put(camera, List.copyOf(areas)));
        byCamera = Map.copyOf(copy);
    }

    int size() {
        return byCamera.values().stream().mapToInt(List::size).sum();
    }

    /** The ids of the camera's enabled zones that hold the object's bottom-centre (boundary included). */
    List<String> zonesOf(String cameraId, FoundObject found) {
        List<Area> areas = byCamera.get(cameraId);
        if (areas == null || found.frameWidth() <= 0 || found.frameHeight() <= 0) {
            return List.of();
        }
        double x = found.groundX();
        double y = found.groundY();
        List<String> ids = new ArrayList<>(2);
        for (Area area : areas) {
            if (area.polygon().contains(x, y)) {
                ids.add(area.zoneId());
            }
        }
        return ids;
    }
}
