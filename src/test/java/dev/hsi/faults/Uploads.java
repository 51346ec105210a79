package dev.hsi.faults;

import dev.hsi.support.Ftp;
import dev.hsi.support.Images;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Distinct camera images for the fault tests, and several cameras uploading them over FTP at once. Each image is
 * one of the test photos with a JPEG comment naming it inserted after the start marker, so every image has
 * content of its own (no dedupe), and a file cut short anywhere is a broken JPEG, never another valid image.
 */
final class Uploads {

    /** Photos in which the detector keeps something at the test threshold. */
    private static final List<Path> PHOTOS = List.of(Images.PERSON, Images.DOG, Images.EAGLE);
    static final List<String> CAMERAS = List.of("Cam A", "Cam B", "Cam C", "Cam D");

    /** One image to upload: the local file, the camera folder, the remote name, and the photo it shows. */
    record Image(Path local, String camera, String name, String photo) {
        /** Where the server stores it. */
        Path onServer(Path basePath) {
            return basePath.resolve(camera).resolve(name);
        }
    }

    /** The last upload error, for failure messages. */
    private static final AtomicReference<String> lastError = new AtomicReference<>();

    private Uploads() {
    }

    static List<Image> prepare(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path photo = PHOTOS.get(i % PHOTOS.size());
            byte[] jpeg = Files.readAllBytes(photo);
            byte[] comment = ("hsi fault test image " + i).getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + comment.length + 4);
            out.write(jpeg, 0, 2); // SOI
            out.write(0xFF);
            out.write(0xFE); // COM
            out.write((comment.length + 2) >> 8);
            out.write((comment.length + 2) & 0xFF);
            out.write(comment);
            out.write(jpeg, 2, jpeg.length - 2);
            String name = String.format("snap-%03d.jpg", i);
            Path local = dir.resolve(name);
            Files.write(local, out.toByteArray());
            images.add(new Image(local, CAMERAS.get(i % CAMERAS.size()), name, photo.getFileName().toString()));
        }
        return images;
    }

    /**
     * Uploads the images with {@code clients} FTP clients side by side, in order, counting confirmed uploads in
     * {@code completed}. Returns the images whose upload was not confirmed (the server went away before or
     * during it): a camera would send those again.
     */
    static List<Image> upload(int ftpPort, List<Image> images, int clients, AtomicInteger completed) throws Exception {
        return upload(ftpPort, images, clients, completed, Duration.ZERO);
    }

    /** As {@link #upload(int, List, int, AtomicInteger)}, each camera pausing {@code pace} between uploads. */
    static List<Image> upload(int ftpPort, List<Image> images, int clients, AtomicInteger completed, Duration pace)
            throws Exception {
        Ftp ftp = new Ftp(ftpPort, "cam", "secret");
        AtomicInteger next = new AtomicInteger();
        Set<Image> confirmed = ConcurrentHashMap.newKeySet();
        lastError.set(null);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit((java.util.concurrent.Callable<Void>) () -> {
                    for (int i = next.getAndIncrement(); i < images.size(); i = next.getAndIncrement()) {
                        Image image = images.get(i);
                        try {
                            ftp.upload(image.local(), image.camera(), image.name());
                            confirmed.add(image);
                            completed.incrementAndGet();
                        } catch (RuntimeException e) {
                            // the server went away before or during this upload
                            lastError.set(image.name() + ": " + e.getMessage());
                        }
                        Thread.sleep(pace.toMillis());
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return images.stream().filter(image -> !confirmed.contains(image)).toList();
    }

    /** Uploads all of them; fails if any upload is not confirmed. */
    static void uploadAll(int ftpPort, List<Image> images, int clients) throws Exception {
        List<Image> failed = upload(ftpPort, images, clients, new AtomicInteger());
        if (!failed.isEmpty()) {
            throw new AssertionError(failed.size() + " upload(s) failed, last error " + lastError.get());
        }
    }
}
