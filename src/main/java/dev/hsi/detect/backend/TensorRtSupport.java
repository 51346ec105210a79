package dev.hsi.detect.backend;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvinfer.DataType;
import org.bytedeco.tensorrt.global.nvinfer_plugin;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the TensorRT builder and detector share: the TensorRT log routed to SLF4J, CUDA status checks, shape and
 * type conversions, and releasing TensorRT objects. Use only after {@link GpuProbe} said yes: every method here
 * touches native code.
 */
final class TensorRtSupport {

    private static final Logger LOG = LoggerFactory.getLogger("dev.hsi.detect.backend.TensorRT");
    private static final Map<Class<?>, Long> DELETERS = new ConcurrentHashMap<>();
    private static volatile ILogger logger;

    private TensorRtSupport() {
    }

    /**
     * The one TensorRT logger of this JVM. It lives in a static field because TensorRT keeps the pointer for the
     * life of every builder, runtime and engine made with it; a collected logger would crash the next log call.
     * Registers TensorRT's bundled plugins on first use, so that ONNX files using them parse and deserialise.
     */
    static ILogger logger() {
        ILogger known = logger;
        if (known == null) {
            synchronized (TensorRtSupport.class) {
                known = logger;
                if (known == null) {
                    known = new Slf4jLogger();
                    try {
                        nvinfer_plugin.initLibNvInferPlugins(known, "");
                    } catch (Throwable t) {
                        LOG.warn("TensorRT plugins unavailable ({}); models that need them will not parse",
                                t.toString());
                    }
                    logger = known;
                }
            }
        }
        return known;
    }

    /** Throws when a CUDA call failed, naming what was attempted. */
    static void cuda(int status, String what) {
        if (status != cudart.cudaSuccess) {
            throw new IllegalStateException("CUDA " + what + " failed: " + GpuProbe.cudaError(status));
        }
    }

    static Dims64 dims(long[] shape) {
        Dims64 dims = new Dims64();
        dims.nbDims(shape.length);
        for (int i = 0; i < shape.length; i++) {
            dims.d(i, shape[i]);
        }
        return dims;
    }

    /** The dimensions, -1 where dynamic; TensorRT answers nbDims -1 for a name it does not know. */
    static long[] shape(Dims64 dims) {
        int rank = dims.nbDims();
        if (rank < 0) {
            throw new IllegalStateException("TensorRT reports no shape (unknown tensor name)");
        }
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = dims.d(i);
        }
        return shape;
    }

    static long elements(long[] shape) {
        long count = 1;
        for (long dimension : shape) {
            count *= dimension;
        }
        return count;
    }

    /** The element types this backend copies in and out; other tensors only get buffers. */
    static boolean copyable(int dataType) {
        return dataType == DataType.kFLOAT.value || dataType == DataType.kINT32.value
                || dataType == DataType.kINT64.value;
    }

    /** Bytes per element, rounded up to one for the packed 4-bit types, so that a buffer is never too small. */
    static int elementSize(int dataType) {
        if (dataType == DataType.kINT64.value) {
            return 8;
        }
        if (dataType == DataType.kFLOAT.value || dataType == DataType.kINT32.value) {
            return 4;
        }
        if (dataType == DataType.kHALF.value || dataType == DataType.kBF16.value) {
            return 2;
        }
        return 1;
    }

    static String typeName(int dataType) {
        for (DataType type : DataType.values()) {
            if (type.value == dataType) {
                return type.name().substring(1).toLowerCase();
            }
        }
        return "type " + dataType;
    }

    /** A native-order view of {@code bytes} of native memory; duplicates must have their order set again. */
    static ByteBuffer view(Pointer memory, long bytes) {
        return new BytePointer(memory).capacity(bytes).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    /**
     * Deletes a TensorRT object as C++ {@code delete} would. TensorRT 10 removed {@code destroy()}, and JavaCPP
     * attaches no deallocator to objects that native factories return (builders, engines, contexts), so their
     * {@code close()} frees nothing. JavaCPP does generate a {@code delete (T*) p} function for every class it can
     * allocate; this borrows it from a throwaway instance of the same class and attaches it to the object (the
     * destructors are virtual, so deleting through the interface type is what C++ callers do too). When that is
     * impossible (a class JavaCPP cannot allocate, such as the ONNX parser) the object is left to process exit.
     */
    static void delete(Pointer object) {
        if (object == null || object.isNull()) {
            return;
        }
        long deleter = DELETERS.computeIfAbsent(object.getClass(), TensorRtSupport::deleterOf);
        if (deleter == 0) {
            LOG.debug("No way to delete a {}; it is freed when the process exits", object.getClass().getSimpleName());
            return;
        }
        try {
            Method init = Pointer.class.getDeclaredMethod("init", long.class, long.class, long.class, long.class);
            init.setAccessible(true);
            init.invoke(object, object.address(), 1L, object.address(), deleter);
            object.close();
            // a second delete of the same Java object must find nothing to free, not free it again
            object.setNull();
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Could not delete a {} ({}); it is freed when the process exits",
                    object.getClass().getSimpleName(), e.toString());
        }
    }

    private static long deleterOf(Class<?> type) {
        try {
            Pointer donor = (Pointer) type.getConstructor().newInstance();
            try {
                Method getter = Pointer.class.getDeclaredMethod("deallocator");
                getter.setAccessible(true);
                Object reference = getter.invoke(donor);
                if (reference == null) {
                    return 0;
                }
                Method address = reference.getClass().getDeclaredMethod("deallocatorAddress");
                address.setAccessible(true);
                return (long) address.invoke(reference);
            } finally {
                donor.close();
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return 0;
        }
    }

    /** TensorRT's messages in the application log: errors and warnings as such, its chatter at debug level. */
    private static final class Slf4jLogger extends ILogger {

        @Override
        public void log(Severity severity, String message) {
            try {
                // compare by value: JavaCPP may hand callbacks an enum object that is not the interned constant
                int level = severity.value;
                if (level <= Severity.kERROR.value) {
                    LOG.error("TensorRT: {}", message);
                } else if (level == Severity.kWARNING.value) {
                    LOG.warn("TensorRT: {}", message);
                } else if (level == Severity.kINFO.value) {
                    LOG.debug("TensorRT: {}", message);
                } else {
                    LOG.trace("TensorRT: {}", message);
                }
            } catch (Throwable t) {
                // an exception must not unwind into TensorRT's C++ frames
            }
        }
    }

    /** The TensorRT version for messages: "10.15.1". */
    static String version() {
        return EngineCacheKey.tensorRtVersionText(nvinfer.getInferLibVersion());
    }
}
