package io.memaudit.cli.reproduce;

import io.memaudit.cli.reproduce.Scores.Score;
import io.memaudit.cli.reproduce.Summaries.Accuracy;
import io.memaudit.cli.reproduce.Summaries.Agreement;
import io.memaudit.cli.reproduce.Summaries.Detection;
import io.memaudit.cli.reproduce.Summaries.Oracle;
import io.memaudit.cli.reproduce.Summaries.RuleRate;
import io.memaudit.cli.reproduce.Summaries.VerdictRate;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The results tables of a study as markdown (REPORT.md): every number from the results file. */
final class MarkdownReport {
    private MarkdownReport() { }

    static String render(Summaries s, String settingsLine) {
        StringBuilder md = new StringBuilder("# Reproduction results\n\n");
        md.append(settingsLine).append("\n\n");
        md.append("Scores at each model's best-validation checkpoint. AUC: P(canary model scores above its twin), ties ½; ")
                .append("ranks are negated so that higher = more memorised. Oracle: log p(y | x ⊕ u) − log p(y | x) ")
                .append("on the canary images at the best checkpoint (twins: their sibling's images); ")
                .append(String.format(Locale.ROOT, "memorised = oracle > %.3g nats.%n%n", s.threshold()));
        accuracy(md, s.accuracy());
        List<Detection> det = s.detection();
        scoreTable(md, "Canary vs twin: AUC per score", det, d -> auc(d.aucVsTwin()), true);
        scoreTable(md, "Canary vs twin: AUC per score at the last checkpoint (patience epochs after the best)", det,
                d -> auc(d.aucVsTwinLast()), false);
        verdicts(md, s.verdicts());
        rules(md, s.ruleRates());
        oracle(md, s.oracle());
        List<Agreement> agr = s.agreement();
        agreementTable(md, "Black-box scores against the oracle: AUC (positives = oracle > threshold; "
                + "memorised / not memorised models in brackets)", agr, a -> auc(a.auc()), true);
        agreementTable(md, "Black-box scores against the oracle: Spearman rank correlation (canary models and twins)",
                agr, a -> fmt(a.spearman(), "%.2f"), false);
        spread(md, det);
        return md.toString();
    }

    private static void accuracy(StringBuilder md, List<Accuracy> rows) {
        md.append("## Test accuracy (best-validation checkpoint)\n\n")
                .append("| data set / model / variant | settings | models | mean ± sd | min – max | best epoch | ")
                .append("epochs trained | wall s / model | of which training |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Accuracy a : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.4f ± %s | %.4f – %.4f | %.1f | %.1f | %.0f | %.0f |%n",
                    a.group(), a.settings(), a.models(), a.mean(), fmt(a.sd(), "%.4f"), a.min(), a.max(), a.meanBestEpoch(),
                    a.meanEpochsTrained(), a.meanWallSeconds(), a.meanTrainSeconds()));
        }
        md.append('\n');
    }

    private static void scoreTable(StringBuilder md, String title, List<Detection> det, Function<Detection, String> cell,
                                   boolean counts) {
        perScoreTable(md, title, det, d -> d.cmp().group() + " | " + d.cmp().set(),
                counts ? "canary / twin models" : null, d -> d.nCanary() + " / " + d.nTwin(), cell);
    }

    private static void agreementTable(StringBuilder md, String title, List<Agreement> agr,
                                       Function<Agreement, String> cell, boolean counts) {
        perScoreTable(md, title, agr, a -> a.group() + " | " + a.set(),
                counts ? "memorised / not" : null, a -> a.positives() + " / " + a.negatives(), cell);
    }

    /**
     * One row per "group | set" key (first-seen order) whose items are its cells, one per reported score in
     * {@link Scores#REPORTED} order; {@code countsTitle} (null: none) adds a column filled from the row's first item.
     */
    private static <T> void perScoreTable(StringBuilder md, String title, List<T> items, Function<T, String> rowKey,
                                          String countsTitle, Function<T, String> counts, Function<T, String> cell) {
        md.append("## ").append(title).append("\n\n| data set / model / variant | canaries |")
                .append(countsTitle == null ? "" : " " + countsTitle + " |")
                .append(Scores.REPORTED.stream().map(Score::title).collect(Collectors.joining(" | ", " ", " |\n")))
                .append("|---|---|").append(countsTitle == null ? "" : "---|")
                .append("---|".repeat(Scores.REPORTED.size())).append('\n');
        for (String key : items.stream().map(rowKey).distinct().toList()) {
            List<T> row = items.stream().filter(t -> key.equals(rowKey.apply(t))).toList();
            md.append("| ").append(key).append(" |");
            if (countsTitle != null) {
                md.append(' ').append(counts.apply(row.get(0))).append(" |");
            }
            row.forEach(t -> md.append(' ').append(cell.apply(t)).append(" |"));
            md.append('\n');
        }
        md.append('\n');
    }

    private static void verdicts(StringBuilder md, List<VerdictRate> rows) {
        md.append("## Verdict \"memorised\": true-positive rate on canary models, false-positive rate on twins\n\n")
                .append("| data set / model / variant | canaries | TPR | FPR |\n|---|---|---|---|\n");
        for (VerdictRate v : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d/%d = %s | %d/%d = %s |%n", v.cmp().group(), v.cmp().set(),
                    v.memorisedCanaries(), v.nCanary(), rate(v.memorisedCanaries(), v.nCanary()), v.memorisedTwins(),
                    v.nTwin(), rate(v.memorisedTwins(), v.nTwin())));
        }
        md.append('\n');
    }

    private static void rules(StringBuilder md, List<RuleRate> rates) {
        List<VerdictRules.Rule> rules = rates.stream().map(RuleRate::rule).distinct().toList();
        md.append("## Decision rules compared: canary models flagged / twins flagged\n\n")
                .append("The first rule is memaudit's verdict; the others are alternatives measured here (label rules ")
                .append("need the feature's label). Group \"all\": each canary set pooled over the groups.\n\n")
                .append("| data set / model / variant | canaries |")
                .append(rules.stream().map(VerdictRules.Rule::name).collect(Collectors.joining(" | ", " ", " |\n")))
                .append("|---|---|").append("---|".repeat(rules.size())).append('\n');
        for (String key : rates.stream().map(r -> r.group() + " | " + r.set()).distinct().toList()) {
            md.append("| ").append(key).append(" |");
            rates.stream().filter(r -> key.equals(r.group() + " | " + r.set())).forEach(r -> md.append(String.format(
                    Locale.ROOT, " %d/%d · %d/%d |", r.canaryHits(), r.nCanary(), r.twinHits(), r.nTwin())));
            md.append('\n');
        }
        md.append('\n');
    }

    private static void oracle(StringBuilder md, List<Oracle> rows) {
        md.append("## The memorisation oracle (nats)\n\n| data set / model / variant | canaries | canary models: ")
                .append("mean ± sd | min – max | memorised | twins: mean ± sd | above threshold | ")
                .append("canary models at the last checkpoint: mean | memorised |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Oracle o : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s ± %s | %s – %s | %d/%d | %s ± %s | %d/%d | %s | %d/%d |%n",
                    o.cmp().group(), o.cmp().set(), fmt(o.canaryMean(), "%.3g"), fmt(o.canarySd(), "%.2g"),
                    fmt(o.canaryMin(), "%.3g"), fmt(o.canaryMax(), "%.3g"), o.canaryAbove(), o.nCanary(),
                    fmt(o.twinMean(), "%.3g"), fmt(o.twinSd(), "%.2g"), o.twinAbove(), o.nTwin(),
                    fmt(o.canaryLastMean(), "%.3g"), o.canaryLastAbove(), o.nCanary()));
        }
        md.append('\n');
    }

    private static void spread(StringBuilder md, List<Detection> det) {
        md.append("## Spread across seeds: mean ± sd of each score\n\n")
                .append("| data set / model / variant | canaries | score | canary models | twins |\n|---|---|---|---|---|\n");
        for (Detection d : det) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s ± %s | %s ± %s |%n", d.cmp().group(), d.cmp().set(),
                    d.score().title(), fmt(d.canaryMean(), "%.3g"), fmt(d.canarySd(), "%.2g"), fmt(d.twinMean(), "%.3g"),
                    fmt(d.twinSd(), "%.2g")));
        }
        md.append('\n');
    }

    static String auc(double v) {
        return fmt(v, "%.2f");
    }

    static String rate(int k, int n) {
        return n == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", k / (double) n);
    }

    static String fmt(double v, String format) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, format, v);
    }
}
