package io.memaudit.common.model.format;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.events.AuditException;
import io.memaudit.common.model.ModelSpec;
import io.memaudit.common.util.Hashing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code onnx}: a model of any architecture exported to ONNX ({@code torch.onnx.export}, tf2onnx,
 * jax2onnx), run by ONNX Runtime through its own Java API. DJL's ONNX Runtime engine is not used: it
 * would register a second DJL engine beside MXNet (changing the default engine), and it hides the
 * input and output signature this format must check before scoring. Probe batches stay MXNet arrays;
 * each chunk is handed to ONNX Runtime as a direct buffer and its output comes back as an MXNet array.
 *
 * <p>The file is read once: its SHA-256 is computed on the bytes the session is created from.
 */
final class OnnxFormat implements ModelFormat {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxFormat.class);
    /** ONNX Runtime creates sessions from a Java array: 2 GiB at most (external-data models are not supported). */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8L;
    private static final AtomicBoolean CUDA_WARNED = new AtomicBoolean();
    /** System property choosing ONNX Runtime's CUDA device when the scorer's device is the CPU. */
    static final String CUDA_PROPERTY = "memaudit.onnx.cuda";

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public String defaultFileName() {
        return "model.onnx";
    }

    @Override
    public void validate(ModelSpec spec) {
        // any architecture, layout and output kind: checked against the file when it is opened
    }

    @Override
    public AuditableModel open(ModelSpec spec, Path file, String sha256, NDManager manager) {
        return new OnnxModel(spec, manager.getDevice(), session(file, sha256, manager.getDevice()), file);
    }

    /** A session and the execution provider it runs on ("CPU" or "CUDA:0"). */
    record Session(OrtSession session, String provider) { }

    @Override
    public String reuseKey(ModelSpec spec) {
        return name() + "|" + spec;
    }

    /** A session for the model in {@code file}, after the checksum; load failures carry the kind the user sees. */
    static Session session(Path file, String sha256, Device device) {
        byte[] bytes = read(file);
        if (sha256 != null) {
            String actual = Hashing.sha256(bytes);
            if (!actual.equalsIgnoreCase(sha256)) {
                throw new AuditException(ErrorKind.CHECKPOINT_CORRUPT, file + " is corrupt or was modified: SHA-256 "
                        + actual + " does not match the expected " + sha256);
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Integer cuda = cudaDevice(device);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
            // idle ONNX Runtime threads must not spin: MXNet's threads build and reduce the batches between runs
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            boolean onCuda = cuda != null && addCuda(options, cuda);
            return new Session(env.createSession(bytes, options), onCuda ? "CUDA:" + cuda : "CPU");
        } catch (OrtException e) {
            throw loadError(file, e);
        }
    }

    /**
     * The CUDA device for ONNX models, or null for the CPU. Probe batches stay MXNet arrays on the
     * scorer's device, so ONNX Runtime's device is chosen on its own: the scorer's GPU when it has one,
     * else {@value #CUDA_PROPERTY} (system property) or MEMAUDIT_ONNX_CUDA: {@code auto} (default: GPU 0
     * when this ONNX Runtime build has the CUDA provider), {@code off}, or a device number.
     */
    static Integer cudaDevice(Device device) {
        if (device.isGpu()) {
            return device.getDeviceId();
        }
        String v = System.getProperty(CUDA_PROPERTY, System.getenv().getOrDefault("MEMAUDIT_ONNX_CUDA", "auto")).strip();
        if (v.equals("off")) {
            return null;
        }
        if (v.equals("auto")) {
            return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA) ? 0 : null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(CUDA_PROPERTY + " / MEMAUDIT_ONNX_CUDA '" + v + "' is not auto, off or a device number");
        }
    }

    /** Adds the CUDA provider; false (and one warning per process) when this build or host has no CUDA. */
    private static boolean addCuda(OrtSession.SessionOptions options, int id) {
        try {
            options.addCUDA(id);
            return true;
        } catch (OrtException | UnsatisfiedLinkError | IllegalArgumentException e) {
            if (CUDA_WARNED.compareAndSet(false, true)) {
                LOG.warn("ONNX models run on the CPU: ONNX Runtime's CUDA provider is not available ({}); the GPU build"
                        + " needs -Pgpu and CUDA 12 with cuDNN 9 on the host (deploy/GPU.md)", firstLine(String.valueOf(e.getMessage())));
            }
            return false;
        }
    }

    private static byte[] read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new AuditException(ErrorKind.FILE_TOO_LARGE, file + " is " + size
                        + " bytes; ONNX models over 2 GiB (external data) are not supported");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_MISSING, "ONNX model " + file + " does not exist");
        } catch (IOException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * ONNX Runtime reports every load failure as one exception type: a file that is not a model
     * protobuf (corrupt, truncated, another format) is {@code checkpoint-corrupt}; a valid model that
     * this runtime cannot execute (operator set, IR version, unknown operator) is {@code unsupported-model}.
     */
    static AuditException loadError(Path file, OrtException e) {
        String msg = String.valueOf(e.getMessage());
        String lower = msg.toLowerCase(Locale.ROOT);
        boolean unsupported = lower.contains("opset") || lower.contains("ir version") || lower.contains("not implemented")
                || lower.contains("not a registered function") || lower.contains("no op registered")
                || lower.contains("unrecognized attribute") || lower.contains("onnx runtime only *guarantees*");
        ErrorKind kind = unsupported ? ErrorKind.UNSUPPORTED_MODEL : ErrorKind.CHECKPOINT_CORRUPT;
        String what = unsupported ? " cannot be run by ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion()
                : " is not a valid ONNX model (corrupt, truncated or another format)";
        return new AuditException(kind, file + what + ": " + firstLine(msg), e);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        // drop the runtime's source location and C++ signature: they say nothing to a user
        String line = (nl < 0 ? s : s.substring(0, nl)).replaceAll("/onnxruntime_src/\\S+:\\d+ [^(]*\\([^)]*\\) ", "")
                .replace("[ONNXRuntimeError] : 1 : FAIL : ", "");
        return line.length() > 400 ? line.substring(0, 400) + "…" : line;
    }
}
