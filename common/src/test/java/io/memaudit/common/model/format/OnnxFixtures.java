package io.memaudit.common.model.format;

import io.memaudit.common.model.InputLayout;
import io.memaudit.common.model.ModelSpec;
import io.memaudit.common.model.Normalisation;
import io.memaudit.common.model.OutputKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The ONNX models of {@code src/test/resources/onnx} (made by its make-fixtures.py) and a reader for its .npy files. */
public final class OnnxFixtures {
    private OnnxFixtures() { }

    public static Path file(String name) {
        try {
            return Path.of(OnnxFixtures.class.getResource("/onnx/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource onnx/" + name + " is missing", e);
        }
    }

    /** The spec of tiny-cnn: [1,28,28], 10 classes, MNIST normalisation. */
    public static ModelSpec spec(InputLayout layout, OutputKind output) {
        return new ModelSpec("onnx", "tiny-cnn", new int[] {1, 28, 28}, 10, Normalisation.MNIST, layout, output);
    }

    public static ModelSpec spec() {
        return spec(InputLayout.NCHW, OutputKind.LOGITS);
    }

    /** A little-endian float32 .npy file: its values and shape. */
    public record Npy(float[] values, long[] shape) { }

    public static Npy readNpy(String name) {
        try {
            byte[] b = Files.readAllBytes(file(name));
            int headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
            String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
            if (!header.contains("'<f4'")) {
                throw new IllegalStateException(name + " is not little-endian float32: " + header);
            }
            Matcher m = Pattern.compile("'shape': \\(([^)]*)\\)").matcher(header);
            m.find();
            long[] shape = Pattern.compile(",\\s*").splitAsStream(m.group(1).trim()).filter(s -> !s.isEmpty())
                    .mapToLong(Long::parseLong).toArray();
            ByteBuffer data = ByteBuffer.wrap(b, 10 + headerLen, b.length - 10 - headerLen).order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[data.remaining() / 4];
            data.asFloatBuffer().get(v);
            return new Npy(v, shape);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
