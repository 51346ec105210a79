package dev.hsi.ingest;

import java.util.Locale;

/**
 * Camera ids are derived from upload folder names as the original does: "Front Door" → front_door. Letters of any
 * alphabet are kept ("Küche" → küche), as Python's {@code \w} keeps them.
 */
public final class CameraIds {

    private CameraIds() {
    }

    public static String normalize(String folderName) {
        String id = folderName.toLowerCase(Locale.ROOT)
                .replaceAll("[\\s-]+", "_")
                .replaceAll("(?U)[^\\w]", "")
                .replaceAll("_{2,}", "_")
                .replaceAll("^_+|_+$", "");
        return id;
    }
}
