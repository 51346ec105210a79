package dev.hsi.detect.model;

import ai.onnxruntime.OrtEnvironment;

/** Shared ONNX Runtime set-up for the tests of this package. */
final class OrtTestSupport {

    private OrtTestSupport() {
    }

    static OrtEnvironment environment() {
        return OrtEnvironments.get();
    }
}
