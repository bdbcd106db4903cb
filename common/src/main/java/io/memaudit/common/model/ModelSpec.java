package io.memaudit.common.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * How to run a checkpoint's model on probe images, parsed once at the edge (an event, a command line,
 * a checkpoint's metadata.json) and passed as this value from then on.
 *
 * @param format        a registered model format, e.g. {@code djl} or {@code onnx}
 * @param architecture  the network to rebuild for {@code djl}; informational (may be null) for others
 * @param inputShape    [C, H, W] of one image, whatever the layout
 * @param classes       number of output classes
 * @param normalisation per-channel mean/std applied after the feature is written in [0, 1] space
 * @param layout        NCHW (default) or NHWC
 * @param output        what the model's output holds
 */
public record ModelSpec(String format, String architecture, int[] inputShape, int classes, Normalisation normalisation,
                        InputLayout layout, OutputKind output) {
    public ModelSpec {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(normalisation, "normalisation");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(output, "output");
        if (inputShape == null || inputShape.length != 3 || Arrays.stream(inputShape).anyMatch(v -> v <= 0)) {
            throw new IllegalArgumentException("inputShape must be [C,H,W] with positive values, got "
                    + Arrays.toString(inputShape));
        }
        inputShape = inputShape.clone();
        if (classes < 2) {
            throw new IllegalArgumentException("classes = " + classes + ": need at least 2");
        }
        if (normalisation.channels() != inputShape[0]) {
            throw new IllegalArgumentException("normalisation has " + normalisation.channels()
                    + " channel(s) but inputShape has " + inputShape[0]);
        }
    }

    /** A built-in network's spec: DJL parameters, NCHW, logits. */
    public static ModelSpec djl(String architecture, int[] inputShape, int classes, Normalisation normalisation) {
        return new ModelSpec("djl", architecture, inputShape, classes, normalisation, InputLayout.NCHW, OutputKind.LOGITS);
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    public int channels() { return inputShape[0]; }
    public int height() { return inputShape[1]; }
    public int width() { return inputShape[2]; }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSpec s && format.equals(s.format) && Objects.equals(architecture, s.architecture)
                && Arrays.equals(inputShape, s.inputShape) && classes == s.classes
                && normalisation.equals(s.normalisation) && layout == s.layout && output == s.output;
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, architecture, Arrays.hashCode(inputShape), classes, normalisation, layout, output);
    }

    @Override
    public String toString() {
        return format + (architecture == null ? "" : " " + architecture) + " " + Arrays.toString(inputShape) + " "
                + layout + " " + classes + " classes (" + output.wire() + ")";
    }
}
