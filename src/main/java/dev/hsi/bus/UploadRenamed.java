package dev.hsi.bus;

/**
 * Fact, sent to the detect stage as a request: an upload's file was renamed over FTP (RNFR/RNTO), and its content is
 * now at {@code toPath}. The detect stage moves the records it holds for that content under {@code fromPath} and
 * answers with {@link MovedRecords}. Sent after the file moved; the Redis key
 * {@link RedisKeys#renamedUpload(String, String)} announced it before.
 *
 * @param fileHash SHA-256 of the content: only that content's records follow the file (a path can be reused)
 */
public record UploadRenamed(String fromPath, String toPath, String fileHash) {
}
