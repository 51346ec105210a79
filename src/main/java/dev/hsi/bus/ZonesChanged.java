package dev.hsi.bus;

/** Fact: the zones of a camera were created, updated or deleted, and the change is committed. */
public record ZonesChanged(String cameraId) {
}
