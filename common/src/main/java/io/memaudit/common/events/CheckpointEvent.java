package io.memaudit.common.events;

import java.util.List;
import java.util.Map;

/**
 * Published by a trainer to {@code memaudit.checkpoints} (key = runId) each time it saves a checkpoint.
 * JSON Schema: {@code schemas/checkpoint-event.schema.json} in common's resources.
 *
 * @param schemaVersion   {@link #SCHEMA_VERSION}
 * @param runId           training run; checkpoints of a run are scored in step order
 * @param step            optimiser step (≥ 0); orders checkpoints within a run
 * @param epoch           epoch (≥ 0)
 * @param createdAt       ISO-8601 instant the checkpoint was saved
 * @param model           where the parameters are and how to rebuild the network
 * @param audit           what to audit
 * @param trainingMetrics optional numbers (loss, valLoss, valAccuracy, ...)
 */
public record CheckpointEvent(int schemaVersion, String runId, long step, int epoch, String createdAt, ModelRef model,
                              Audit audit, Map<String, Double> trainingMetrics) {
    public static final int SCHEMA_VERSION = 1;

    /**
     * @param uri           {@code file:} URI of the model file, or of a checkpoint directory holding the
     *                      format's default file ({@code model.params}, {@code model.onnx})
     * @param format        {@code djl} (DJL block parameters of a named architecture) or {@code onnx} (any
     *                      architecture); {@code mxnet-symbol} is reserved
     * @param architecture  djl: mlp, mlp-bn, mlp-dropout, cnn, cnn-bn, cnn-dropout; onnx: informational, may be null
     * @param inputShape    [C, H, W]
     * @param layout        NCHW (null = default) or NHWC
     * @param output        logits (null = default), probabilities or log-probabilities
     * @param classes       number of output classes
     * @param normalisation per-channel mean/std
     * @param sha256        optional SHA-256 of the model file; checked when present
     */
    public record ModelRef(String uri, String format, String architecture, int[] inputShape, String layout, String output,
                           int classes, Normalisation normalisation, String sha256) { }

    public record Normalisation(float[] mean, float[] std) { }

    /**
     * @param features features to audit (the first is the one the trainer planted)
     * @param probeSet probe-set preset, e.g. cifar10-gray-28 (converted to the model's input shape), or
     *                 {@code dir:<uri>}, a directory of PNG/JPEG images
     * @param probes   N
     * @param controls K, the control features per feature (null: the worker's default, 199)
     */
    public record Audit(List<Feature> features, String probeSet, int probes, Integer controls) { }

    /**
     * One unique feature. {@code kind} glyph uses {@code letter}; text uses {@code text}, {@code font},
     * {@code fontSize}, {@code bold}, {@code binary}; image uses {@code imageUri} and optional {@code maskUri}.
     *
     * @param position [row, col] of the top-left corner
     * @param label    the feature's training label, when the auditor may know it
     * @param scale    integer upsampling of a glyph or text feature; null = the default for the input size
     */
    public record Feature(String id, String kind, String letter, String text, String font, Integer fontSize,
                          Boolean bold, Boolean binary, String imageUri, String maskUri, int[] position, Integer label,
                          Integer scale) { }
}
