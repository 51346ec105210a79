package dev.hsi.detect.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hsi.detect.model.ModelDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TensorRT backend on a machine without a usable GPU (the CPU build, CI): it must say why in one sentence and
 * touch nothing. The engine cache naming needs no GPU and is tested everywhere.
 */
class TensorRtUnavailableTest {

    private static void assumeNoGpu() {
        Assumptions.assumeTrue(GpuProbe.unavailableReason().isPresent(),
                "skipped: an NVIDIA GPU answers here, see TensorRtGpuTest");
    }

    @Test
    @DisplayName("without a GPU, the probe gives one sentence why TensorRT cannot run")
    void probeGivesOneSentence() {
        assumeNoGpu();
        String reason = GpuProbe.unavailableReason().orElseThrow();
        assertThat(reason).isNotBlank().doesNotContain("\n").doesNotContain(". ").doesNotEndWith(".")
                .hasSizeLessThanOrEqualTo(200);
        assertThat(GpuProbe.unavailableReason()).as("memoised").contains(reason);
        assertThatThrownBy(GpuProbe::gpuName).isInstanceOf(IllegalStateException.class).hasMessageContaining(reason);
    }

    @Test
    @DisplayName("without a GPU, loading the detector fails naming backend and reason, touching no file")
    void loadFailsClearly(@TempDir Path dir) throws IOException {
        assumeNoGpu();
        Path engineDir = dir.resolve("engines");
        ModelDescriptor model = ModelDescriptor.centerNet(dir.resolve("missing.onnx"));

        assertThatThrownBy(() -> TensorRtDetector.load(model, engineDir, 8))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageStartingWith("DETECTOR_BACKEND=tensorrt needs an NVIDIA GPU: ")
                .hasMessageEndingWith(GpuProbe.unavailableReason().orElseThrow())
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> EngineBuilder.ensure(model, engineDir, 8))
                .isInstanceOf(BackendUnavailableException.class);
        assertThat(engineDir).doesNotExist();
    }

    @Test
    @DisplayName("without a GPU, build-engine exits 2 and says that it needs an NVIDIA GPU and why")
    void buildEngineCommandExitsTwo(@TempDir Path dir) {
        assumeNoGpu();
        Run run = run("build-engine", "--model", dir.resolve("model.onnx").toString(),
                "--engine-dir", dir.resolve("engines").toString(), "--max-batch", "4");

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err).contains("build-engine needs an NVIDIA GPU: " + GpuProbe.unavailableReason().get());
        assertThat(run.out).isEmpty();
        assertThat(dir.resolve("engines")).doesNotExist();
    }

    @Test
    @DisplayName("a failed native load is told apart: jars missing, driver missing, anything else")
    void loadFailuresAreClassified() {
        UnsatisfiedLinkError noJars = new UnsatisfiedLinkError("no jnicudart in java.library.path: /usr/lib");
        noJars.initCause(new UnsatisfiedLinkError("Could not find jnicudart in class, module, and library paths."));
        assertThat(GpuProbe.loadFailure("CUDA", noJars))
                .isEqualTo("the CUDA and TensorRT native libraries are not on the class path: build with -Pgpu");
        assertThat(GpuProbe.loadFailure("TensorRT", new UnsatisfiedLinkError("no jninvinfer in java.library.path")))
                .isEqualTo("the TensorRT native libraries are not on the class path: build with -Pgpu");
        assertThat(GpuProbe.loadFailure("CUDA", new UnsatisfiedLinkError(
                "/root/.javacpp/cache/libjnicudart.so: libcuda.so.1: cannot open shared object file")))
                .startsWith("no NVIDIA driver: libcuda.so.1 does not load (");
        assertThat(GpuProbe.loadFailure("TensorRT", new NoClassDefFoundError("Could not initialize class nvinfer")))
                .isEqualTo("the TensorRT native libraries do not load: Could not initialize class nvinfer");
    }

    @Test
    @DisplayName("a reason is cut to one line of at most 200 characters without a final full stop")
    void reasonsReadAsOneSentence() {
        assertThat(GpuProbe.oneSentence("no CUDA device:\n  the driver says no.")).isEqualTo(
                "no CUDA device: the driver says no");
        assertThat(GpuProbe.oneSentence("x".repeat(500))).hasSize(200).endsWith("...");
    }

    @Test
    @DisplayName("build-engine rejects bad arguments with exit 2 and the usage line")
    void buildEngineRejectsBadArguments() {
        for (String[] args : new String[][] {
                {"build-engine"},
                {"build-engine", "--model"},
                {"build-engine", "--model", "m.onnx", "--max-batch", "0"},
                {"build-engine", "--model", "m.onnx", "--max-batch", "lots"},
                {"build-engine", "--model", "m.onnx", "--colour", "blue"},
                {"build-engine", "--model", "model.pt"}}) {
            Run run = run(args);
            assertThat(run.status).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err).as(String.join(" ", args)).startsWith("build-engine: ")
                    .contains(BuildEngineCommand.USAGE);
        }
        Run help = run("build-engine", "--help");
        assertThat(help.status).isZero();
        assertThat(help.out).contains(BuildEngineCommand.USAGE);
    }

    @Test
    @DisplayName("the engine file is <model>-<16 hex of the key>.engine with a .json note beside it")
    void engineFileNaming() {
        String onnx = "ab".repeat(32);
        EngineCacheKey key = new EngineCacheKey("rtdetrv2_r18vd", onnx, 101501, "NVIDIA GeForce RTX 4090", 8);
        Path dir = Path.of("/data/engines");

        assertThat(key.engineFile(dir).getParent()).isEqualTo(dir);
        assertThat(key.engineFile(dir).getFileName().toString()).matches("rtdetrv2_r18vd-[0-9a-f]{16}\\.engine");
        assertThat(key.sidecarFile(dir).getFileName().toString()).isEqualTo(key.baseName() + ".json");
        assertThat(key.baseName()).endsWith(key.digest().substring(0, 16));
        assertThat(key.digest()).hasSize(64);
        assertThat(new EngineCacheKey("rtdetrv2_r18vd", onnx, 101501, "NVIDIA GeForce RTX 4090", 8)
                .engineFile(dir)).as("deterministic").isEqualTo(key.engineFile(dir));
    }

    @Test
    @DisplayName("a change of ONNX bytes, TensorRT version, GPU or max batch gives a different engine file")
    void everyKeyPartChangesTheFile() {
        EngineCacheKey key = new EngineCacheKey("m", "ab".repeat(32), 101501, "NVIDIA H100 80GB HBM3", 8);
        Stream.of(
                new EngineCacheKey("m", "cd".repeat(32), 101501, "NVIDIA H100 80GB HBM3", 8),
                new EngineCacheKey("m", "ab".repeat(32), 101500, "NVIDIA H100 80GB HBM3", 8),
                new EngineCacheKey("m", "ab".repeat(32), 101501, "NVIDIA GeForce RTX 4090", 8),
                new EngineCacheKey("m", "ab".repeat(32), 101501, "NVIDIA H100 80GB HBM3", 4))
                .forEach(other -> assertThat(other.baseName()).isNotEqualTo(key.baseName()));
        assertThatThrownBy(() -> new EngineCacheKey("m", "ab", 101501, "gpu", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("model and GPU names are made safe for file names; the note records every key part")
    void namesAreSanitised() {
        assertThat(EngineCacheKey.sanitise("NVIDIA GeForce RTX 4090")).isEqualTo("NVIDIA_GeForce_RTX_4090");
        assertThat(EngineCacheKey.sanitise("../etc/passwd")).isEqualTo("etc_passwd");
        assertThat(EngineCacheKey.sanitise("  ")).isEqualTo("unnamed");
        EngineCacheKey key = new EngineCacheKey("my model/v2", "ab".repeat(32), 101501, "NVIDIA L4", 2);
        assertThat(key.engineFile(Path.of("e")).getFileName().toString()).startsWith("my_model_v2-");
        assertThat(key.describe().getMap()).containsEntry("model", "my model/v2")
                .containsEntry("onnx_sha256", "ab".repeat(32)).containsEntry("tensorrt_version", "10.15.1")
                .containsEntry("gpu", "NVIDIA L4").containsEntry("gpu_key", "NVIDIA_L4").containsEntry("max_batch", 2)
                .containsEntry("key_sha256", key.digest());
    }

    @Test
    @DisplayName("the ONNX hash is the SHA-256 of the file's bytes, streamed or in memory alike")
    void sha256OfFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("abc.onnx"), "abc");
        String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertThat(EngineCacheKey.sha256(file)).isEqualTo(abc);
        assertThat(EngineCacheKey.sha256("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(abc);
    }

    @Test
    @DisplayName("engines are written atomically: the final name appears complete, no temporary file remains")
    void atomicWrite(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("m-0123456789abcdef.engine");
        EngineBuilder.writeAtomically(target, java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
        EngineBuilder.writeAtomically(target, java.nio.ByteBuffer.wrap(new byte[] {4, 5}));
        assertThat(Files.readAllBytes(target)).containsExactly(4, 5);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    @DisplayName("the builder's scratch memory is a quarter of the GPU, between 256 MiB and 4 GiB")
    void workspaceBounds() {
        long mib = 1L << 20;
        assertThat(EngineBuilder.workspaceBytes(0)).isEqualTo(1024 * mib);
        assertThat(EngineBuilder.workspaceBytes(512 * mib)).isEqualTo(256 * mib);
        assertThat(EngineBuilder.workspaceBytes(8192 * mib)).isEqualTo(2048 * mib);
        assertThat(EngineBuilder.workspaceBytes(80L * 1024 * mib)).isEqualTo(4096 * mib);
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BuildEngineCommand.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
