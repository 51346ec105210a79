package dev.hsi.zones;

import dev.hsi.geometry.Polygon;

/** A zone's editable fields, validated ({@link ZoneInput}): what a create or update writes. */
public record ZoneDraft(
        String name, String zoneType, Polygon coordinates, String shape, String color, boolean enabled, int priority) {
}
