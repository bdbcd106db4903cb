package io.memaudit.cli;

import io.memaudit.common.model.InputLayout;
import io.memaudit.common.model.ModelSpec;
import io.memaudit.common.model.Normalisation;
import io.memaudit.common.model.OutputKind;
import io.memaudit.common.model.format.ModelFormats;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How to run a model file that has no metadata.json (a user's ONNX export): the same fields as a
 * checkpoint event's {@code model}, parsed once into a {@link ModelSpec}.
 */
final class ModelOptions {
    @Option(names = "--architecture", paramLabel = "NAME",
            description = "djl: the built-in network (mlp, mlp-bn, mlp-dropout, cnn, cnn-bn, cnn-dropout); onnx: a label for reports.")
    String architecture;
    @Option(names = "--input-shape", paramLabel = "C,H,W", split = ",", description = "The model's image input, e.g. 1,28,28 or 3,224,224.")
    List<Integer> inputShape;
    @Option(names = "--classes", paramLabel = "K", description = "Number of output classes.")
    Integer classes;
    @Option(names = "--mean", paramLabel = "M", split = ",", description = "Per-channel normalisation mean, e.g. 0.1307 or 0.485,0.456,0.406.")
    List<Float> mean;
    @Option(names = "--std", paramLabel = "S", split = ",", description = "Per-channel normalisation standard deviation, e.g. 0.3081.")
    List<Float> std;
    @Option(names = "--layout", paramLabel = "NCHW|NHWC", description = "Input layout the model expects (default: NCHW).")
    String layout;
    @Option(names = "--output", paramLabel = "KIND", description = "What the model outputs: logits, probabilities or log-probabilities (default: logits).")
    String output;
    @Option(names = "--run-id", paramLabel = "ID", description = "Run id shown in the report (default: the model file's name).")
    String runId;
    @Option(names = "--epoch", defaultValue = "0", description = "Epoch shown in the report (default: ${DEFAULT-VALUE}).")
    int epoch;
    @Option(names = "--step", defaultValue = "0", description = "Step shown in the report (default: ${DEFAULT-VALUE}).")
    long step;

    /**
     * The spec for {@code file}; a missing or bad option is named in the error.
     *
     * @param format the model format; null = from the file name (.onnx is onnx, else djl)
     */
    ModelSpec spec(Path file, String format) {
        String fmt = format != null ? format : file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx") ? "onnx" : "djl";
        ModelFormats.of(fmt);
        require(inputShape, "--input-shape", "C,H,W, e.g. 1,28,28");
        require(classes, "--classes", "the number of output classes");
        require(mean, "--mean", "one value per channel");
        require(std, "--std", "one value per channel");
        int[] shape = shape(inputShape);
        Normalisation norm = normalisation(mean, std);
        try {
            return new ModelSpec(fmt, architecture, shape, classes, norm, InputLayout.parse(layout, "--layout"),
                    OutputKind.parse(output, "--output"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--input-shape " + Arrays.toString(shape) + ", --classes " + classes
                    + ", --mean/--std: " + e.getMessage());
        }
    }

    String runId(Path file) {
        return runId != null ? runId : file.getFileName().toString();
    }

    private static void require(Object value, String option, String what) {
        if (value == null) {
            throw new IllegalArgumentException(option + " is required with --model (" + what + ")");
        }
    }

    /** {@code --input-shape} as [C, H, W]; shared with {@code probes export}. */
    static int[] shape(List<Integer> inputShape) {
        if (inputShape.size() != 3) {
            throw new IllegalArgumentException("--input-shape " + inputShape + ": give exactly C,H,W, e.g. 1,28,28");
        }
        return inputShape.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code --mean} and {@code --std} as a normalisation; shared with {@code probes export}. */
    static Normalisation normalisation(List<Float> mean, List<Float> std) {
        try {
            return new Normalisation(floats(mean), floats(std));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mean/--std: " + e.getMessage());
        }
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
