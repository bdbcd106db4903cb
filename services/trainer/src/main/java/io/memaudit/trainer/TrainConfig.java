package io.memaudit.trainer;

import io.memaudit.common.model.Architecture;
import io.memaudit.common.model.Variant;

import java.nio.file.Path;

/**
 * Everything one reference training run needs. Defaults follow the paper's set-up (docs/METHOD.md,
 * "The paper's experimental set-up"): Adam, lr 3e-4, batch 128, early stopping on validation loss
 * with patience 10.
 *
 * @param dataset        "mnist", "fashion-mnist" or "cifar10"
 * @param model          "mlp" or "cnn"
 * @param variant        training variant
 * @param featureSpec    unique feature to plant, e.g. "glyph:A" (FeatureSpec syntax)
 * @param canaries       training images that get the feature; 0 trains the twin
 * @param seed           seeds initialisation, data order, canary choice, dropout and augmentation
 * @param epochs         maximum epochs
 * @param batchSize      mini-batch size
 * @param learningRate   Adam learning rate
 * @param patience       early-stopping patience in epochs (validation loss)
 * @param l2             L2 weight decay used by the L2 variant
 * @param trainLimit     use only the first N training images (0 = all), for quick runs and tests
 * @param out            run directory (checkpoints go to out/ckpt-NNNN)
 * @param runId          run identifier written into every checkpoint
 * @param device         DJL device name: auto, cpu, gpu:N
 * @param canaryIndices  optional explicit canary candidates, as indices of the data set's own training
 *                       split, in order: the first {@code canaries} carry the feature, and a twin records
 *                       the list as its sibling's candidates; null = a seeded random choice (the default)
 */
public record TrainConfig(
        String dataset,
        String model,
        Variant variant,
        String featureSpec,
        int canaries,
        long seed,
        int epochs,
        int batchSize,
        float learningRate,
        int patience,
        float l2,
        int trainLimit,
        Path out,
        String runId,
        String device,
        java.util.List<Integer> canaryIndices) {

    public static final int DEFAULT_BATCH = 128;
    public static final float DEFAULT_LR = 3e-4f;
    public static final int DEFAULT_PATIENCE = 10;
    public static final float DEFAULT_L2 = 1e-4f;

    public TrainConfig {
        require(canaries >= 0, "canaries", canaries, "must be 0 (twin) or more");
        require(epochs >= 1, "epochs", epochs, "must be at least 1");
        require(batchSize >= 1, "batch-size", batchSize, "must be at least 1");
        require(learningRate > 0 && Float.isFinite(learningRate), "lr", learningRate, "must be positive");
        require(patience >= 1, "patience", patience, "must be at least 1");
        require(l2 >= 0, "l2", l2, "must be >= 0");
        require(trainLimit >= 0, "train-limit", trainLimit, "must be >= 0 (0 = all)");
        Architecture.of(model, variant);
        if (canaryIndices != null) {
            canaryIndices = java.util.List.copyOf(canaryIndices);
            require(canaryIndices.size() >= canaries, "canary-indices", canaryIndices.size() + " indices",
                    "must list at least --canaries = " + canaries + " images");
            require(canaryIndices.stream().distinct().count() == canaryIndices.size(), "canary-indices",
                    canaryIndices, "must not repeat an image");
        }
        if (runId == null || runId.isBlank()) {
            runId = uniqueRunId(dataset + "-" + model + "-" + variant.wireName() + "-s" + seed + "-c" + canaries);
        }
    }

    /**
     * The settings, when the run was started (UTC) and four random hex digits: two runs with the same
     * settings (a deterministic re-run, a second seed-7 run) must not share one id in the metrics or be
     * taken for re-deliveries of each other's checkpoints.
     */
    static String uniqueRunId(String settings) {
        String started = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
        return settings + "-" + started + "-" + String.format("%04x", new java.security.SecureRandom().nextInt(1 << 16));
    }

    /** The random canary choice (no explicit indices): the constructor every caller used before. */
    public TrainConfig(String dataset, String model, Variant variant, String featureSpec, int canaries, long seed,
                       int epochs, int batchSize, float learningRate, int patience, float l2, int trainLimit, Path out,
                       String runId, String device) {
        this(dataset, model, variant, featureSpec, canaries, seed, epochs, batchSize, learningRate, patience, l2,
                trainLimit, out, runId, device, null);
    }

    /** This configuration with explicit canary candidates (see {@link #canaryIndices()}). */
    public TrainConfig withCanaryIndices(java.util.List<Integer> indices) {
        return new TrainConfig(dataset, model, variant, featureSpec, canaries, seed, epochs, batchSize, learningRate,
                patience, l2, trainLimit, out, runId, device, indices);
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("--" + key + " = " + value + ": " + rule);
        }
    }

    public Architecture architecture() { return Architecture.of(model, variant); }

    /** The paper's defaults for everything but the data set, model and output directory. */
    public static TrainConfig defaults(String dataset, String model, Path out) {
        return new TrainConfig(dataset, model, Variant.PLAIN, "glyph:A", 1, 7, 10, DEFAULT_BATCH, DEFAULT_LR,
                DEFAULT_PATIENCE, DEFAULT_L2, 0, out, null, "auto");
    }
}
