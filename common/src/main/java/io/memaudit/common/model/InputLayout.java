package io.memaudit.common.model;

import java.util.Locale;

/**
 * The memory layout a model expects for its image input. Probes are always built as NCHW; a model
 * that wants NHWC (Keras/TensorFlow exports) gets each batch transposed just before its forward pass.
 */
public enum InputLayout {
    NCHW,
    NHWC;

    /** The wire name (as written in events and on the command line), e.g. {@code NCHW}. */
    public String wire() {
        return name();
    }

    /** Parses a wire name, case-insensitively; null means the default, NCHW. */
    public static InputLayout parse(String name, String field) {
        if (name == null) {
            return NCHW;
        }
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " '" + name + "' is not NCHW or NHWC");
        }
    }

    /** The input tensor's shape for a batch of {@code n} images of [C, H, W]. */
    public long[] batchShape(long n, int[] chw) {
        return this == NCHW ? new long[] {n, chw[0], chw[1], chw[2]} : new long[] {n, chw[1], chw[2], chw[0]};
    }
}
