package dev.hsi.media;

import java.awt.image.BufferedImage;

/** One picture taken from a clip, {@code offsetSeconds} after its first frame. */
public record VideoFrame(double offsetSeconds, BufferedImage image) {
}
