package io.memaudit.common.model.format;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.events.AuditException;
import io.memaudit.common.model.InputLayout;
import io.memaudit.common.model.ModelSpec;
import io.memaudit.common.model.Normalisation;
import io.memaudit.common.model.OutputKind;
import io.memaudit.common.util.Hashing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ONNX models through the format seam: outputs equal PyTorch's, and every bad file gets its error kind. */
class OnnxFormatTest {
    private static final ModelFormat ONNX = ModelFormats.of("onnx");

    @TempDir
    Path tmp;

    private static float[] forward(String file, ModelSpec spec, OnnxFixtures.Npy input) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             AuditableModel model = ONNX.open(spec, OnnxFixtures.file(file), null, m)) {
            NDArray x = m.create(input.values(), new Shape(input.shape()));
            NDArray y = model.forward(x);
            assertEquals(new Shape(input.shape()[0], 10), y.getShape());
            return y.toFloatArray();
        }
    }

    @Test
    void logitsEqualPyTorchsForTheSameImages() {
        OnnxFixtures.Npy in = OnnxFixtures.readNpy("tiny-cnn-input.npy");
        float[] expected = OnnxFixtures.readNpy("tiny-cnn-logits.npy").values();
        float[] actual = forward("tiny-cnn.onnx", OnnxFixtures.spec(), in);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "logit " + i);
        }
    }

    @Test
    void nhwcModelsGetTheirBatchesTransposed() {
        OnnxFixtures.Npy in = OnnxFixtures.readNpy("tiny-cnn-input.npy");
        float[] nchw = forward("tiny-cnn.onnx", OnnxFixtures.spec(), in);
        float[] nhwc = forward("tiny-cnn-nhwc.onnx", OnnxFixtures.spec(InputLayout.NHWC, OutputKind.LOGITS), in);
        assertArrayEquals(nchw, nhwc, 1e-5f);
    }

    @Test
    void probabilityOutputsNeedNoSoftmax() {
        OnnxFixtures.Npy in = OnnxFixtures.readNpy("tiny-cnn-input.npy");
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray logits = m.create(forward("tiny-cnn.onnx", OnnxFixtures.spec(), in), new Shape(4, 10));
            float[] viaSoftmax = OutputKind.LOGITS.toProbabilities(logits).toFloatArray();
            NDArray probs = m.create(forward("tiny-cnn-softmax.onnx", OnnxFixtures.spec(InputLayout.NCHW,
                    OutputKind.PROBABILITIES), in), new Shape(4, 10));
            assertArrayEquals(viaSoftmax, OutputKind.PROBABILITIES.toProbabilities(probs).toFloatArray(), 1e-6f);
            assertArrayEquals(viaSoftmax, OutputKind.LOG_PROBABILITIES.toProbabilities(probs.log()).toFloatArray(), 1e-5f);
        }
    }

    private static AuditException openFails(ModelSpec spec, Path file, String sha) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            return assertThrows(AuditException.class, () -> ONNX.open(spec, file, sha, m).close());
        }
    }

    private void assertKind(ErrorKind kind, String fragment, AuditException e) {
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void aFixedBatchSizeIsAShapeMismatchThatSaysHowToExport() {
        assertKind(ErrorKind.SHAPE_MISMATCH, "dynamic_axes", openFails(OnnxFixtures.spec(), OnnxFixtures.file("tiny-cnn-fixed.onnx"), null));
    }

    @Test
    void declaredShapesAreCheckedAgainstTheFile() {
        ModelSpec wrongSize = new ModelSpec("onnx", null, new int[] {1, 32, 32}, 10, Normalisation.MNIST, InputLayout.NCHW, OutputKind.LOGITS);
        assertKind(ErrorKind.SHAPE_MISMATCH, "[batch, 1, 32, 32]", openFails(wrongSize, OnnxFixtures.file("tiny-cnn.onnx"), null));
        ModelSpec wrongClasses = new ModelSpec("onnx", null, new int[] {1, 28, 28}, 5, Normalisation.MNIST, InputLayout.NCHW, OutputKind.LOGITS);
        assertKind(ErrorKind.SHAPE_MISMATCH, "classes = 5", openFails(wrongClasses, OnnxFixtures.file("tiny-cnn.onnx"), null));
        assertKind(ErrorKind.SHAPE_MISMATCH, "layout NHWC", openFails(OnnxFixtures.spec(InputLayout.NHWC, OutputKind.LOGITS),
                OnnxFixtures.file("tiny-cnn.onnx"), null));
    }

    @Test
    void unsupportedModelsAreNamedAsSuch() {
        assertKind(ErrorKind.UNSUPPORTED_MODEL, "2 inputs", openFails(OnnxFixtures.spec(), OnnxFixtures.file("two-inputs.onnx"), null));
        AuditException opset = openFails(OnnxFixtures.spec(), OnnxFixtures.file("future-opset.onnx"), null);
        assertKind(ErrorKind.UNSUPPORTED_MODEL, "Opset 99", opset);
        assertTrue(!opset.getMessage().contains("onnxruntime_src"), "no C++ source paths: " + opset.getMessage());
    }

    @Test
    void truncatedOrForeignFilesAreCorruptAndChecksumsAreVerified() throws Exception {
        byte[] good = Files.readAllBytes(OnnxFixtures.file("tiny-cnn.onnx"));
        Path truncated = Files.write(tmp.resolve("truncated.onnx"), Arrays.copyOf(good, good.length / 3));
        assertKind(ErrorKind.CHECKPOINT_CORRUPT, "not a valid ONNX model", openFails(OnnxFixtures.spec(), truncated, null));
        Path text = Files.writeString(tmp.resolve("model.onnx"), "{\"not\": \"a model\"}");
        assertKind(ErrorKind.CHECKPOINT_CORRUPT, "not a valid ONNX model", openFails(OnnxFixtures.spec(), text, null));
        assertKind(ErrorKind.CHECKPOINT_CORRUPT, "SHA-256", openFails(OnnxFixtures.spec(), OnnxFixtures.file("tiny-cnn.onnx"),
                Hashing.sha256(new byte[] {1})));
        assertKind(ErrorKind.CHECKPOINT_MISSING, "does not exist", openFails(OnnxFixtures.spec(), tmp.resolve("absent.onnx"), null));
    }

    @Test
    void aFailedReloadLeavesTheErrorKindAndTheNextReloadWorks() throws Exception {
        Path bad = Files.write(tmp.resolve("bad.onnx"), new byte[] {1, 2, 3});
        OnnxFixtures.Npy in = OnnxFixtures.readNpy("tiny-cnn-input.npy");
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             AuditableModel model = ONNX.open(OnnxFixtures.spec(), OnnxFixtures.file("tiny-cnn.onnx"), null, m)) {
            AuditException e = assertThrows(AuditException.class, () -> model.reload(bad, null));
            assertEquals(ErrorKind.CHECKPOINT_CORRUPT, e.kind());
            model.reload(OnnxFixtures.file("tiny-cnn.onnx"), null);
            float[] y = model.forward(m.create(in.values(), new Shape(in.shape()))).toFloatArray();
            assertArrayEquals(OnnxFixtures.readNpy("tiny-cnn-logits.npy").values(), y, 1e-4f);
            assertTrue(model.engine().startsWith("ONNX Runtime "), model.engine());
        }
    }

    @Test
    void unknownFormatsListTheRegisteredOnes() {
        AuditException e = assertThrows(AuditException.class, () -> ModelFormats.of("tflite"));
        assertKind(ErrorKind.UNSUPPORTED_FORMAT, "djl, onnx", e);
    }
}
