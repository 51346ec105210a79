package dev.hsi.detect.model;

import ai.onnxruntime.OrtEnvironment;
import java.util.concurrent.atomic.AtomicReference;

/** The process-wide ONNX Runtime environment, started safely. */
public final class OrtEnvironments {

    private OrtEnvironments() {
    }

    /**
     * ONNX Runtime 1.29 on Linux overflows a default 1 MB thread stack while it initialises its environment when the
     * process command line is longer than about 3 KB (a long class path, as IDEs pass), and the JVM dies with
     * SIGSEGV and no hs_err file. Creating the environment on a thread with a 16 MB stack avoids it whatever the
     * caller's stack; later calls need no extra stack.
     */
    public static OrtEnvironment get() {
        AtomicReference<OrtEnvironment> environment = new AtomicReference<>();
        Thread init = new Thread(null, () -> environment.set(OrtEnvironment.getEnvironment()), "hsi-ort-init", 16L << 20);
        init.start();
        try {
            init.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting ONNX Runtime", e);
        }
        if (environment.get() == null) {
            throw new IllegalStateException("ONNX Runtime could not start (see the log above)");
        }
        return environment.get();
    }
}
