package io.memaudit.cli.reproduce;

import java.util.List;
import java.util.Locale;

/**
 * One row of the study's CSV: one model × checkpoint × score, with every setting in a column.
 *
 * @param cell       the model
 * @param canarySet  for label scores and the oracle, the canary set they refer to ("random:1"): the model's
 *                   own, or for a twin its sibling's; "" for label-free scores of a twin
 * @param epoch      checkpoint epoch (model-level rows: the best epoch)
 * @param bestEpoch  the best-validation epoch of the model (the headline checkpoint)
 * @param valLoss    validation loss at this checkpoint
 * @param valAccuracy validation accuracy at this checkpoint
 * @param epochsMax  maximum epochs of the study
 * @param probes     N probe images
 * @param trainLimit training images used (0 = all)
 * @param score      score name (see {@link Scores})
 * @param value      the number
 * @param detail     extra text: the verdict, the argmax class, the label used
 */
public record ResultRow(GridCell cell, String canarySet, int epoch, int bestEpoch, double valLoss, double valAccuracy,
                        int epochsMax, int probes, int trainLimit, String score, double value, String detail) {
    public static final List<String> HEADER = List.of("dataset", "model", "variant", "seed", "canaries", "choice",
            "role", "canary_set", "run_id", "epoch", "best_epoch", "is_best", "val_loss", "val_accuracy", "epochs_max",
            "probes", "train_limit", "score", "value", "detail");

    public boolean isBest() { return epoch == bestEpoch; }

    public List<String> fields() {
        return List.of(cell.dataset(), cell.model(), cell.variant(), Long.toString(cell.seed()),
                Integer.toString(cell.canaries()), cell.choice(), cell.isTwin() ? "twin" : "canary", canarySet,
                cell.runId(), Integer.toString(epoch), Integer.toString(bestEpoch), isBest() ? "1" : "0", num(valLoss),
                num(valAccuracy), Integer.toString(epochsMax), Integer.toString(probes), Integer.toString(trainLimit),
                score, num(value), detail);
    }

    /** Parses {@link #fields()} back; the derived columns (role, run id, is_best) are checked, not trusted. */
    public static ResultRow parse(List<String> f) {
        if (f.size() != HEADER.size()) {
            throw new IllegalArgumentException(f.size() + " fields, expected " + HEADER.size());
        }
        GridCell cell = new GridCell(f.get(0), f.get(1), f.get(2), Long.parseLong(f.get(3)), Integer.parseInt(f.get(4)),
                f.get(5));
        if (!cell.runId().equals(f.get(8))) {
            throw new IllegalArgumentException("run_id " + f.get(8) + " does not match the settings (" + cell.runId() + ")");
        }
        return new ResultRow(cell, f.get(7), Integer.parseInt(f.get(9)), Integer.parseInt(f.get(10)),
                Double.parseDouble(f.get(12)), Double.parseDouble(f.get(13)), Integer.parseInt(f.get(14)),
                Integer.parseInt(f.get(15)), Integer.parseInt(f.get(16)), f.get(17), Double.parseDouble(f.get(18)),
                f.get(19));
    }

    private static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        return String.format(Locale.ROOT, "%.8g", v);
    }
}
