package io.memaudit.cli.reproduce;

import io.memaudit.common.feature.ControlFeatures;
import io.memaudit.common.model.Variant;

import java.util.List;
import java.util.Map;

/**
 * What a reproduction run trains and how it audits. {@link #quick()} and {@link #paper()} are the
 * presets; the command's filters replace single fields.
 *
 * @param preset          preset name, recorded in the report
 * @param datasets        data sets (the model follows: mlp for 28×28 sets, cnn for cifar10)
 * @param variants        training variants (early stopping is always on)
 * @param seeds           training seeds
 * @param canaryCounts    canary counts greater than 0 (twins are always trained)
 * @param choices         canary choices: random and/or hard
 * @param epochs          maximum epochs per model
 * @param patience        early-stopping patience (validation loss)
 * @param probes          N, probe images per audit
 * @param trainLimit      train on the first N training images only (0 = all)
 * @param feature         the unique feature, FeatureSpec syntax
 * @param oracleThreshold oracle value (nats) above which a model counts as having memorised
 * @param controls        K, control features per audit (the verdict's false-positive floor is 1/(K+1))
 */
public record StudySettings(String preset, List<String> datasets, List<String> variants, List<Long> seeds,
                            List<Integer> canaryCounts, List<String> choices, int epochs, int patience, int probes,
                            int trainLimit, String feature, double oracleThreshold, int controls) {
    /** The UF of the paper's code: capital A as a 5×5 glyph at row 1, column 1. */
    public static final String FEATURE = "glyph:A@1,1";
    /**
     * Memorised, for the oracle: removing the UF costs the canary's label at least 1 nat, i.e. the UF
     * multiplies the label's probability by e or more. Smaller thresholds flag twins: on images a model
     * gets wrong, the glyph's pixels alone move log p(y) by ±1 nat or more (docs/REPRODUCTION.md).
     */
    public static final double ORACLE_THRESHOLD = 1.0;
    public static final List<String> DATASETS = List.of("mnist", "fashion-mnist", "cifar10");
    public static final List<String> VARIANTS = List.of("plain", "bn", "dropout", "l2", "augment");
    private static final Map<String, String> PROBES = Map.of("mnist", "cifar10-gray-28",
            "fashion-mnist", "cifar10-gray-28", "cifar10", "mnist-rgb-32");

    public StudySettings {
        require(!datasets.isEmpty() && DATASETS.containsAll(datasets), "datasets", datasets, "known: " + DATASETS);
        variants.forEach(Variant::parse);
        require(!variants.isEmpty(), "variants", variants, "need at least one");
        require(!seeds.isEmpty(), "seeds", seeds, "need at least one");
        require(canaryCounts.stream().allMatch(c -> c >= 0), "canaries", canaryCounts, "must be >= 0");
        canaryCounts = canaryCounts.stream().filter(c -> c > 0).distinct().sorted().toList();
        require(!choices.isEmpty() && List.of(GridCell.RANDOM, GridCell.HARD).containsAll(choices), "choices", choices,
                "known: random, hard");
        require(epochs >= 1, "epochs", epochs, "must be at least 1");
        require(probes >= 2, "probes", probes, "must be at least 2");
        require(controls >= 1 && controls <= io.memaudit.common.scoring.AuditRequest.MAX_CONTROLS, "controls", controls,
                "must be 1.." + io.memaudit.common.scoring.AuditRequest.MAX_CONTROLS);
        datasets = List.copyOf(datasets);
        variants = List.copyOf(variants);
        seeds = List.copyOf(seeds);
        choices = List.copyOf(choices);
    }

    /** MNIST MLP plain, seeds 1–6, 0/1/100 random canaries, at most 5 epochs, N = 500 probes. */
    public static StudySettings quick() {
        return new StudySettings("quick", List.of("mnist"), List.of("plain"), List.of(1L, 2L, 3L, 4L, 5L, 6L), List.of(1, 100),
                List.of(GridCell.RANDOM), 5, 10, 500, 0, FEATURE, ORACLE_THRESHOLD, ControlFeatures.K);
    }

    /** The full grid: 3 data sets × 5 variants × 10 seeds × 0/1/10/100 canaries × random/hard, 100 epochs, N = 2000. */
    public static StudySettings paper() {
        return new StudySettings("paper", DATASETS, VARIANTS, List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L),
                List.of(1, 10, 100), List.of(GridCell.RANDOM, GridCell.HARD), 100, 10, 2000, 0, FEATURE, ORACLE_THRESHOLD,
                ControlFeatures.K);
    }

    public static StudySettings preset(String name) {
        return switch (name) {
            case "quick" -> quick();
            case "paper" -> paper();
            default -> throw new IllegalArgumentException("--preset = " + name + ": known presets are quick and paper");
        };
    }

    /** mlp for the 28×28 data sets, cnn for cifar10 (the paper's pairing). */
    public static String modelFor(String dataset) {
        return dataset.equals("cifar10") ? "cnn" : "mlp";
    }

    /**
     * The probe sets of the authors' code (docs/METHOD.md, "The paper's experimental set-up"): CIFAR-10
     * grey for the 28×28 sets, MNIST RGB for CIFAR-10.
     */
    public static String probeSetFor(String dataset) {
        return PROBES.get(dataset);
    }

    public StudySettings withDatasets(List<String> v) { return copy(v, variants, seeds, canaryCounts, choices, epochs, probes); }
    public StudySettings withVariants(List<String> v) { return copy(datasets, v, seeds, canaryCounts, choices, epochs, probes); }
    public StudySettings withSeeds(List<Long> v) { return copy(datasets, variants, v, canaryCounts, choices, epochs, probes); }
    public StudySettings withCanaries(List<Integer> v) { return copy(datasets, variants, seeds, v, choices, epochs, probes); }
    public StudySettings withChoices(List<String> v) { return copy(datasets, variants, seeds, canaryCounts, v, epochs, probes); }
    public StudySettings withEpochs(int v) { return copy(datasets, variants, seeds, canaryCounts, choices, v, probes); }
    public StudySettings withProbes(int v) { return copy(datasets, variants, seeds, canaryCounts, choices, epochs, v); }

    public StudySettings withTrainLimit(int v) {
        return new StudySettings(preset, datasets, variants, seeds, canaryCounts, choices, epochs, patience, probes, v,
                feature, oracleThreshold, controls);
    }

    public StudySettings withPatience(int v) {
        return new StudySettings(preset, datasets, variants, seeds, canaryCounts, choices, epochs, v, probes, trainLimit,
                feature, oracleThreshold, controls);
    }

    public StudySettings withOracleThreshold(double v) {
        return new StudySettings(preset, datasets, variants, seeds, canaryCounts, choices, epochs, patience, probes,
                trainLimit, feature, v, controls);
    }

    public StudySettings withControls(int k) {
        return new StudySettings(preset, datasets, variants, seeds, canaryCounts, choices, epochs, patience, probes,
                trainLimit, feature, oracleThreshold, k);
    }

    private StudySettings copy(List<String> d, List<String> v, List<Long> s, List<Integer> c, List<String> ch, int e, int n) {
        return new StudySettings(preset, d, v, s, c, ch, e, patience, n, trainLimit, feature, oracleThreshold, controls);
    }

    private static void require(boolean ok, String option, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("--" + option + " = " + value + ": " + rule);
        }
    }
}
