package dev.hsi.detect;

/** What the detection rows of one upload record about its media: an image, or a clip with its properties. */
record MediaInfo(String mediaType, String fileType, Double duration, String videoCodec, Integer videoWidth,
        Integer videoHeight) {

    static MediaInfo image(String fileType) {
        return new MediaInfo("image", fileType, null, null, null, null);
    }
}
