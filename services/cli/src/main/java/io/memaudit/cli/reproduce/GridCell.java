package io.memaudit.cli.reproduce;

import java.util.Locale;

/**
 * One trained model of the study. A twin has 0 canaries and choice {@link #TWIN}; it is shared by the
 * canary models of every choice with the same data set, model, variant and seed.
 *
 * @param dataset  mnist, fashion-mnist or cifar10
 * @param model    mlp or cnn
 * @param variant  training variant wire name (plain, bn, dropout, l2, augment)
 * @param seed     training seed
 * @param canaries images carrying the feature (0 = the twin)
 * @param choice   how canaries are chosen: random, hard, or twin
 */
public record GridCell(String dataset, String model, String variant, long seed, int canaries, String choice) {
    public static final String TWIN = "twin";
    public static final String RANDOM = "random";
    public static final String HARD = "hard";

    public GridCell {
        if ((canaries == 0) != TWIN.equals(choice)) {
            throw new IllegalArgumentException("a model with " + canaries + " canaries cannot have choice '" + choice + "'");
        }
        if (!TWIN.equals(choice) && !RANDOM.equals(choice) && !HARD.equals(choice)) {
            throw new IllegalArgumentException("--choices: unknown choice '" + choice + "' (known: random, hard)");
        }
    }

    public static GridCell twin(String dataset, String model, String variant, long seed) {
        return new GridCell(dataset, model, variant, seed, 0, TWIN);
    }

    public boolean isTwin() { return canaries == 0; }

    /** The twin this model is compared with. */
    public GridCell twin() { return twin(dataset, model, variant, seed); }

    /** Data set, model and variant: the group a summary row describes. */
    public String group() { return dataset + "/" + model + "/" + variant; }

    /** "random:1", the canary set a label score or oracle value refers to; "" for a twin. */
    public String canarySet() { return isTwin() ? "" : choice + ":" + canaries; }

    /** The run id and directory name, e.g. mnist-mlp-plain-s3-c1-random or mnist-mlp-plain-s3-twin. */
    public String runId() {
        String base = String.format(Locale.ROOT, "%s-%s-%s-s%d", dataset, model, variant, seed);
        return isTwin() ? base + "-twin" : base + "-c" + canaries + "-" + choice;
    }

    /** Human description for progress lines. */
    public String describe() {
        return String.format(Locale.ROOT, "%s %s %s seed %d %s", dataset, model, variant, seed,
                isTwin() ? "twin" : canaries + " " + choice + " canar" + (canaries == 1 ? "y" : "ies"));
    }
}
