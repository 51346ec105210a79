package dev.hsi.retention;

/** The files of one detection: its thumbnail (NULL when none was recorded) and the original image or clip. */
record DetectionFiles(long id, String thumbnailPath, String filePath) {
}
