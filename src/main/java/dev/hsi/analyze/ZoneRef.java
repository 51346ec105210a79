package dev.hsi.analyze;

/** A zone of the camera's view that a detection's bottom-centre fell in (table {@code zones}). */
record ZoneRef(String id, String name, String zoneType) {
}
