package dev.hsi.detect.backend;

import dev.hsi.config.HttpDetectorConfig;
import dev.hsi.detect.DetectedObject;
import dev.hsi.detect.Detector;
import dev.hsi.detect.Frame;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote detector service speaking the original system's contract ({@code POST {url}/detect}, multipart field
 * {@code file}), so existing RT-DETR deployments and remote GPU boxes work unchanged. A batch is sent as concurrent
 * single-image requests, because the service's single-image endpoint is the one every version has.
 */
public final class HttpDetector implements Detector {

    /** The service could not be reached or gave no usable answer in any attempt; the image itself may be fine. */
    public static final class DetectorUnavailableException extends RuntimeException {
        public DetectorUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpDetectorConfig config;
    private final int maxBatch;
    private final URI endpoint;
    private final ExecutorService executor;
    private final HttpClient client;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HttpDetector(HttpDetectorConfig config, int maxBatch, URI endpoint, ExecutorService executor,
            HttpClient client) {
        this.config = config;
        this.maxBatch = maxBatch;
        this.endpoint = endpoint;
        this.executor = executor;
        this.client = client;
    }

    /** Opens no connection: a service that is down at start-up is retried per image like one that goes down later. */
    public static HttpDetector create(HttpDetectorConfig config, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        }
        URI endpoint = URI.create(config.url().replaceAll("/+$", "") + "/detect");
        AtomicInteger threads = new AtomicInteger();
        // an own executor so that close() can release the client's threads (JDK 17's HttpClient has no close())
        ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "http-detector-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                // HTTP/1.1 only: the default h2c upgrade attempt on a POST confuses some servers and proxies
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        return new HttpDetector(config, maxBatch, endpoint, executor, client);
    }

    @Override
    public String describe() {
        int retries = config.maxRetries();
        return "http detector at " + config.url() + " (timeouts connect " + seconds(config.connectTimeout())
                + " / read " + seconds(config.readTimeout()) + ", " + retries + (retries == 1 ? " retry)" : " retries)");
    }

    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + "s";
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    /**
     * Blocking. All frames are in flight at once; the call returns when every one has an answer or has failed.
     * The first failure in frame order is thrown, the others attached as suppressed: a {@code PermanentFailure}
     * when the service refused an image (HTTP 4xx), a {@link DetectorUnavailableException} when it could not answer.
     */
    @Override
    public List<List<DetectedObject>> detect(List<Frame> frames) throws InterruptedException {
        if (closed.get()) {
            throw new IllegalStateException("http detector at " + config.url() + " is closed");
        }
        AtomicBoolean abandoned = new AtomicBoolean();
        List<CompletableFuture<HttpDetectorResponse>> calls = new ArrayList<>(frames.size());
        try {
            for (Frame frame : frames) {
                // the frame is read here, on the caller's thread: a Frame is not thread-safe
                calls.add(new HttpDetectorCall(client, config, endpoint, frame.name(), frame.encoded(),
                        () -> abandoned.get() || closed.get()).start());
            }
        } catch (RuntimeException e) {
            // a frame that cannot be encoded fails the call; the requests already sent need no retries
            abandoned.set(true);
            throw e;
        }
        try {
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).exceptionally(error -> null).get();
        } catch (InterruptedException e) {
            // stop retrying for a caller that is no longer waiting
            abandoned.set(true);
            calls.forEach(call -> call.cancel(true));
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("unreachable: failures are collected per frame", e);
        }
        return results(frames, calls);
    }

    private static List<List<DetectedObject>> results(List<Frame> frames,
            List<CompletableFuture<HttpDetectorResponse>> calls) throws InterruptedException {
        RuntimeException failure = null;
        List<List<DetectedObject>> results = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            try {
                results.add(calls.get(i).get().objects(frames.get(i)));
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException runtime
                        ? runtime : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }

    /** Later detect calls fail; retries still waiting give up; the client's threads end. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            executor.shutdownNow();
        }
    }
}
