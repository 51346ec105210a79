package dev.hsi.support;

import java.nio.file.Path;

/** Test images from Debian's darknet package (MIT licensed; see src/test/resources/images/LICENSE.txt). */
public final class Images {

    public static final Path PERSON = of("person.jpg");
    public static final Path DOG = of("dog.jpg");
    public static final Path HORSES = of("horses.jpg");
    public static final Path EAGLE = of("eagle.jpg");

    private Images() {
    }

    private static Path of(String name) {
        return Path.of("src/test/resources/images", name).toAbsolutePath();
    }
}
