package dev.hsi.detect.backend;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;

/**
 * Whether the TensorRT backend can run here: an NVIDIA driver, a CUDA device, and the CUDA and TensorRT native
 * libraries (which only the {@code -Pgpu} build carries). Probed once per JVM and remembered: a native library that
 * failed to load stays failed in this JVM anyway, and the answer cannot change while the process runs.
 */
public final class GpuProbe {

    /** Where distributions, container runtimes (nvidia-container-toolkit), WSL 2 and NixOS put the driver. */
    private static final List<String> DRIVER_DIRS = List.of(
            "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
            "/usr/local/nvidia/lib64", "/usr/local/nvidia/lib", "/usr/lib/wsl/lib", "/run/opengl-driver/lib");
    private static final String DRIVER_LIBRARY = "libcuda.so.1";
    private static final int MAX_REASON_LENGTH = 200;

    /** What the probe found: either a reason why not, or the device. */
    record Result(Optional<String> reason, String gpuName, long gpuMemoryBytes, int tensorRtVersion) {

        static Result unavailable(String reason) {
            return new Result(Optional.of(oneSentence(reason)), "", 0, 0);
        }
    }

    private static volatile Result result;

    private GpuProbe() {
    }

    /** Empty when TensorRT can run on GPU 0; otherwise one sentence why not, without a final full stop. */
    public static Optional<String> unavailableReason() {
        return probe().reason();
    }

    /** The name of GPU 0, as CUDA reports it ("NVIDIA GeForce RTX 4090"). */
    public static String gpuName() {
        Result found = probe();
        if (found.reason().isPresent()) {
            throw new IllegalStateException("no usable NVIDIA GPU: " + found.reason().get());
        }
        return found.gpuName();
    }

    static Result probe() {
        Result known = result;
        if (known == null) {
            synchronized (GpuProbe.class) {
                known = result;
                if (known == null) {
                    known = detect();
                    result = known;
                }
            }
        }
        return known;
    }

    private static Result detect() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return Result.unavailable("the GPU build carries Linux x86_64 native libraries only, and this is "
                    + os + " on " + arch);
        }
        // Before touching JavaCPP: with the -Pgpu jars present, a load attempt first unpacks about a gigabyte of
        // libraries, which is a slow way to learn that a machine has no driver at all.
        if (findDriverLibrary().isEmpty()) {
            return Result.unavailable("no NVIDIA driver: " + DRIVER_LIBRARY + " not found");
        }
        try {
            Loader.load(cudart.class);
        } catch (Throwable t) {
            return Result.unavailable(loadFailure("CUDA", t));
        }
        String gpu;
        long memory;
        try {
            int[] count = new int[1];
            int status = cudart.cudaGetDeviceCount(count);
            if (status != cudart.cudaSuccess) {
                return Result.unavailable("no CUDA device: " + cudaError(status));
            }
            if (count[0] < 1) {
                return Result.unavailable("no CUDA device: the driver reports none");
            }
            try (cudaDeviceProp properties = new cudaDeviceProp()) {
                status = cudart.cudaGetDeviceProperties(properties, 0);
                if (status != cudart.cudaSuccess) {
                    return Result.unavailable("CUDA device 0 does not answer: " + cudaError(status));
                }
                gpu = properties.name().getString().trim();
                memory = properties.totalGlobalMem();
            }
        } catch (Throwable t) {
            return Result.unavailable("the CUDA runtime fails: " + describe(t));
        }
        int version;
        try {
            Loader.load(nvinfer.class);
            Loader.load(nvonnxparser.class);
            version = nvinfer.getInferLibVersion();
        } catch (Throwable t) {
            return Result.unavailable(loadFailure("TensorRT", t));
        }
        return new Result(Optional.empty(), gpu.isEmpty() ? "CUDA device 0" : gpu, memory, version);
    }

    /** The driver library in the standard places or on LD_LIBRARY_PATH / java.library.path, if anywhere. */
    static Optional<File> findDriverLibrary() {
        List<String> dirs = new ArrayList<>();
        for (String variable : List.of(System.getenv().getOrDefault("LD_LIBRARY_PATH", ""),
                System.getProperty("java.library.path", ""))) {
            for (String dir : variable.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    dirs.add(dir);
                }
            }
        }
        dirs.addAll(DRIVER_DIRS);
        return dirs.stream().map(dir -> new File(dir, DRIVER_LIBRARY)).filter(File::exists).findFirst();
    }

    /**
     * Why a JavaCPP load failed, told apart by what JavaCPP ("no jnicudart in java.library.path") and the dynamic
     * linker ("libcuda.so.1: cannot open shared object file") say.
     *
     * @param what "CUDA" (loaded first, so missing jars mean both are missing) or "TensorRT"
     */
    static String loadFailure(String what, Throwable failure) {
        String text = describe(failure);
        if (text.contains("no jni") || text.contains("Could not find jni")) {
            return "the " + (what.equals("CUDA") ? "CUDA and TensorRT" : what)
                    + " native libraries are not on the class path: build with -Pgpu";
        }
        if (text.contains("libcuda.so")) {
            return "no NVIDIA driver: " + DRIVER_LIBRARY + " does not load (" + text + ")";
        }
        return "the " + what + " native libraries do not load: " + text;
    }

    /** The messages of a throwable and its causes, as JavaCPP nests the linker's message one level down. */
    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null && text.length() < MAX_REASON_LENGTH; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : "; ").append(message);
            }
        }
        return text.toString();
    }

    static String cudaError(int status) {
        try {
            return cudart.cudaGetErrorString(status).getString() + " (CUDA error " + status + ")";
        } catch (Throwable t) {
            return "CUDA error " + status;
        }
    }

    /** Newlines and a trailing full stop removed, long linker messages cut, so that it reads as one sentence. */
    static String oneSentence(String reason) {
        String line = reason.replaceAll("\\s+", " ").trim();
        if (line.length() > MAX_REASON_LENGTH) {
            line = line.substring(0, MAX_REASON_LENGTH - 3) + "...";
        }
        while (line.endsWith(".") && !line.endsWith("...")) {
            line = line.substring(0, line.length() - 1);
        }
        return line;
    }
}
