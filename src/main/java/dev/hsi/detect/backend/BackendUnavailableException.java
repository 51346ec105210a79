package dev.hsi.detect.backend;

/**
 * The configured detector backend cannot run on this machine (no GPU, no driver, native libraries missing). The
 * message is one sentence meant for the start-up log and the command line, such as
 * "DETECTOR_BACKEND=tensorrt needs an NVIDIA GPU: no NVIDIA driver: libcuda.so.1 not found".
 */
public final class BackendUnavailableException extends RuntimeException {

    public BackendUnavailableException(String message) {
        super(message);
    }

    /** The TensorRT backend was asked for, and {@link GpuProbe} gave this reason why it cannot run. */
    static BackendUnavailableException tensorRt(String reason) {
        return new BackendUnavailableException("DETECTOR_BACKEND=tensorrt needs an NVIDIA GPU: " + reason);
    }
}
