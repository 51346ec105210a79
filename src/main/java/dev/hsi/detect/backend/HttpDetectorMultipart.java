package dev.hsi.detect.backend;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A multipart/form-data body with the single {@code file} field the detector service reads. Built by hand because
 * the JDK HTTP client has no multipart support and the project takes no extra dependency for one form field.
 */
record HttpDetectorMultipart(String contentType, byte[] body) {

    static final String FIELD = "file";

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    static HttpDetectorMultipart of(String filename, byte[] image) {
        // a random boundary cannot plausibly occur inside the image bytes
        String boundary = "hsi-" + UUID.randomUUID().toString().replace("-", "");
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + FIELD + "\"; filename=\"" + escape(filename) + "\"\r\n"
                + "Content-Type: " + imageType(image) + "\r\n"
                + "\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        // one array rather than a publisher of parts: a known length is sent as Content-Length, not chunked,
        // which every proxy in front of a detector understands
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.length + head.length() + tail.length() + 16);
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(image);
        out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
        return new HttpDetectorMultipart("multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    /** PNG where the magic bytes say so; everything else a camera uploads, and every re-encoded frame, is JPEG. */
    static String imageType(byte[] image) {
        if (image.length < PNG_MAGIC.length) {
            return "image/jpeg";
        }
        for (int i = 0; i < PNG_MAGIC.length; i++) {
            if (image[i] != PNG_MAGIC[i]) {
                return "image/jpeg";
            }
        }
        return "image/png";
    }

    /** The escaping browsers apply, so a quote or line break in a camera's file name cannot break the header. */
    private static String escape(String filename) {
        return filename.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }
}
