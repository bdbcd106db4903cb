package io.memaudit.common.model.format;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.events.AuditException;
import io.memaudit.common.model.InputLayout;
import io.memaudit.common.model.ModelSpec;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/** An ONNX Runtime session behind {@link AuditableModel}; a reload opens the new file's session first. */
final class OnnxModel implements AuditableModel {
    private final ModelSpec spec;
    private final Device device;
    private OrtSession session;
    private String provider;
    private OnnxSignature signature;
    private Path file;

    OnnxModel(ModelSpec spec, Device device, OnnxFormat.Session session, Path file) {
        this.spec = spec;
        this.device = device;
        this.file = file;
        this.session = session.session();
        this.provider = session.provider();
        try {
            this.signature = OnnxSignature.check(this.session, spec, file);
        } catch (RuntimeException e) {
            closeQuietly(this.session);
            throw e;
        }
    }

    @Override
    public NDArray forward(NDArray nchwBatch) {
        NDArray x = spec.layout() == InputLayout.NHWC ? nchwBatch.transpose(0, 2, 3, 1) : nchwBatch;
        long n = x.getShape().get(0);
        long[] shape = x.getShape().getShape();
        // a direct buffer in native order: ONNX Runtime reads it in place
        FloatBuffer in = x.toByteBuffer().asFloatBuffer();
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), in, shape);
             OrtSession.Result result = session.run(Map.of(signature.inputName(), tensor))) {
            OnnxValue value = result.get(0);
            if (!(value instanceof OnnxTensor out)) {
                throw new AuditException(ErrorKind.UNSUPPORTED_MODEL, file + ": the output is not a tensor");
            }
            long[] outShape = out.getInfo().getShape();
            if (outShape.length != 2 || outShape[0] != n || outShape[1] != spec.classes()) {
                throw new AuditException(ErrorKind.SHAPE_MISMATCH, file + ": for a batch of " + n + " images the model returned "
                        + OnnxSignature.dims(outShape) + " but model.classes = " + spec.classes() + " needs [" + n + ", "
                        + spec.classes() + "]");
            }
            FloatBuffer fb = out.getFloatBuffer();
            float[] values = new float[fb.remaining()];
            fb.get(values);
            return nchwBatch.getManager().create(values, new Shape(outShape));
        } catch (OrtException e) {
            throw new AuditException(ErrorKind.SCORING_FAILED, file + ": ONNX Runtime failed on a batch of " + n
                    + " images: " + e.getMessage(), e);
        } finally {
            if (x != nchwBatch) {
                x.close();
            }
        }
    }

    @Override
    public void reload(Path newFile, String sha256) {
        OnnxFormat.Session loaded = OnnxFormat.session(newFile, sha256, device);
        OrtSession next = loaded.session();
        OnnxSignature sig;
        try {
            sig = OnnxSignature.check(next, spec, newFile);
        } catch (RuntimeException e) {
            closeQuietly(next);
            throw e;
        }
        closeQuietly(session);
        session = next;
        provider = loaded.provider();
        signature = sig;
        file = newFile;
    }

    @Override
    public String engine() {
        return "ONNX Runtime " + OrtEnvironment.getEnvironment().getVersion() + " on " + provider;
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException ignored) {
            // closing a session only frees memory; nothing to report
        }
    }
}
