package io.memaudit.cli.reproduce;

import io.memaudit.cli.reproduce.Scores.Score;
import io.memaudit.cli.reproduce.StudyTable.Comparison;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The numbers of the report, computed from the best-checkpoint rows of a {@link StudyTable}. */
final class Summaries {
    /** Test accuracy and cost of the models of one group. */
    record Accuracy(String group, String settings, int models, double mean, double sd, double min, double max, double meanBestEpoch,
                    double meanEpochsTrained, double meanWallSeconds, double meanTrainSeconds) { }

    /** How one score separates canary models from twins. */
    record Detection(Comparison cmp, Score score, int nCanary, int nTwin, double canaryMean, double canarySd,
                     double twinMean, double twinSd, double aucVsTwin, double aucVsTwinLast) { }

    /**
     * How one score agrees with the oracle over the models of a comparison (canary models and twins, set
     * "all": every comparison of the group pooled): AUC with positives = oracle above the threshold, and
     * Spearman correlation with the oracle.
     */
    record Agreement(String group, String set, Score score, int positives, int negatives, double auc, double spearman) { }

    /** The verdict "memorised" on canary models (true positives) and on twins (false positives). */
    record VerdictRate(Comparison cmp, int nCanary, int memorisedCanaries, int nTwin, int memorisedTwins) { }

    /**
     * How often a {@link VerdictRules.Rule} holds on the canary models and on the twins of a comparison (group
     * "all": the comparisons of one canary set pooled over the groups).
     */
    record RuleRate(String group, String set, VerdictRules.Rule rule, int nCanary, int canaryHits, int nTwin,
                    int twinHits) { }

    /** The oracle on canary models and on their twins (for the same images). */
    record Oracle(Comparison cmp, int nCanary, double canaryMean, double canarySd, double canaryMin, double canaryMax,
                  int canaryAbove, int nTwin, double twinMean, double twinSd, int twinAbove, double canaryLastMean,
                  int canaryLastAbove) { }

    private final StudyTable table;
    private final double threshold;

    Summaries(StudyTable table, double oracleThreshold) {
        this.table = table;
        this.threshold = oracleThreshold;
    }

    List<Accuracy> accuracy() {
        List<Accuracy> out = new ArrayList<>();
        for (String group : table.groups()) {
            List<GridCell> models = table.models(group);
            double[] acc = modelValues(models, Scores.TEST_ACCURACY);
            double[] best = models.stream().map(c -> table.rows().stream().filter(r -> r.cell().equals(c)).findFirst())
                    .flatMap(Optional::stream).mapToDouble(ResultRow::bestEpoch).toArray();
            ResultRow any = table.rows().stream().filter(r -> r.cell().group().equals(group)).findFirst().orElseThrow();
            String settings = String.format(java.util.Locale.ROOT, "≤ %d epochs, N = %d%s", any.epochsMax(), any.probes(),
                    any.trainLimit() == 0 ? "" : ", first " + any.trainLimit() + " training images");
            out.add(new Accuracy(group, settings, acc.length, RankStats.mean(acc), RankStats.sd(acc), min(acc), max(acc),
                    RankStats.mean(best), RankStats.mean(modelValues(models, Scores.EPOCHS_TRAINED)),
                    RankStats.mean(modelValues(models, Scores.WALL_SECONDS)),
                    RankStats.mean(modelValues(models, Scores.TRAIN_SECONDS))));
        }
        return out;
    }

    List<Detection> detection() {
        List<Detection> out = new ArrayList<>();
        for (Comparison cmp : table.comparisons()) {
            for (Score score : Scores.REPORTED) {
                out.add(detection(cmp, score));
            }
        }
        return out;
    }

    Detection detection(Comparison cmp, Score score) {
        double[] canary = table.values(cmp.canaryModels(), cmp.set(), score.name());
        double[] twin = table.values(cmp.twins(), cmp.set(), score.name());
        double[] canaryLast = table.lastValues(cmp.canaryModels(), cmp.set(), score.name());
        double[] twinLast = table.lastValues(cmp.twins(), cmp.set(), score.name());
        return new Detection(cmp, score, canary.length, twin.length, RankStats.mean(canary), RankStats.sd(canary),
                RankStats.mean(twin), RankStats.sd(twin),
                RankStats.auc(oriented(canary, score.sign()), oriented(twin, score.sign())),
                RankStats.auc(oriented(canaryLast, score.sign()), oriented(twinLast, score.sign())));
    }

    /** Agreement per comparison, then per group over all its comparisons pooled. */
    List<Agreement> agreement() {
        List<Agreement> out = new ArrayList<>();
        List<Comparison> cmps = table.comparisons();
        for (Comparison cmp : cmps) {
            Scores.REPORTED.forEach(score -> out.add(agreement(cmp.group(), cmp.set(), score, oraclePairs(cmp, score))));
        }
        for (String group : cmps.stream().map(Comparison::group).distinct().toList()) {
            for (Score score : Scores.REPORTED) {
                List<double[]> pooled = new ArrayList<>();
                cmps.stream().filter(c -> c.group().equals(group)).forEach(c -> pooled.addAll(oraclePairs(c, score)));
                out.add(agreement(group, "all", score, pooled));
            }
        }
        return out;
    }

    private Agreement agreement(String group, String set, Score score, List<double[]> pairs) {
        List<Double> pos = new ArrayList<>();
        List<Double> neg = new ArrayList<>();
        for (double[] p : pairs) {
            (p[1] > threshold ? pos : neg).add(p[0] * score.sign());
        }
        double[] s = pairs.stream().mapToDouble(p -> p[0] * score.sign()).toArray();
        double[] o = pairs.stream().mapToDouble(p -> p[1]).toArray();
        return new Agreement(group, set, score, pos.size(), neg.size(), RankStats.auc(toArray(pos), toArray(neg)),
                RankStats.spearman(s, o));
    }

    /** (score, oracle) of every model of the comparison, canary models and twins. */
    private List<double[]> oraclePairs(Comparison cmp, Score score) {
        List<double[]> pairs = new ArrayList<>();
        List<GridCell> all = new ArrayList<>(cmp.canaryModels());
        all.addAll(cmp.twins());
        for (GridCell c : all) {
            Optional<Double> v = table.best(c, cmp.set(), score);
            Optional<Double> o = table.best(c, cmp.set(), Scores.ORACLE);
            if (v.isPresent() && o.isPresent() && !v.get().isNaN()) {
                pairs.add(new double[] {clamp(v.get()), o.get()});
            }
        }
        return pairs;
    }

    List<VerdictRate> verdicts() {
        List<VerdictRate> out = new ArrayList<>();
        for (Comparison cmp : table.comparisons()) {
            double[] c = table.values(cmp.canaryModels(), cmp.set(), Scores.VERDICT);
            double[] t = table.values(cmp.twins(), cmp.set(), Scores.VERDICT);
            out.add(new VerdictRate(cmp, c.length, count(c, 0.5), t.length, count(t, 0.5)));
        }
        return out;
    }

    /** Each rule per comparison, then per canary set pooled over the groups. */
    List<RuleRate> ruleRates() {
        List<RuleRate> perComparison = new ArrayList<>();
        for (Comparison cmp : table.comparisons()) {
            for (VerdictRules.Rule rule : VerdictRules.ALL) {
                int[] c = hits(rule, cmp.canaryModels(), cmp.set());
                int[] t = hits(rule, cmp.twins(), cmp.set());
                perComparison.add(new RuleRate(cmp.group(), cmp.set(), rule, c[1], c[0], t[1], t[0]));
            }
        }
        List<RuleRate> out = new ArrayList<>(perComparison);
        if (perComparison.stream().map(RuleRate::group).distinct().count() > 1) {
            for (String set : perComparison.stream().map(RuleRate::set).distinct().toList()) {
                for (VerdictRules.Rule rule : VerdictRules.ALL) {
                    List<RuleRate> of = perComparison.stream().filter(r -> r.set().equals(set) && r.rule() == rule).toList();
                    out.add(new RuleRate("all", set, rule, of.stream().mapToInt(RuleRate::nCanary).sum(),
                            of.stream().mapToInt(RuleRate::canaryHits).sum(), of.stream().mapToInt(RuleRate::nTwin).sum(),
                            of.stream().mapToInt(RuleRate::twinHits).sum()));
                }
            }
        }
        return out;
    }

    /** {hits, models with the scores the rule needs} over the cells. */
    private int[] hits(VerdictRules.Rule rule, List<GridCell> cells, String set) {
        int hits = 0;
        int n = 0;
        for (GridCell c : cells) {
            String needed = rule.labelKnown() ? Scores.LABEL_RANK.name() : Scores.KL_RANK.name();
            if (table.best(c, set, needed).isEmpty()) {
                continue;
            }
            n++;
            if (rule.holds(score -> table.best(c, set, score))) {
                hits++;
            }
        }
        return new int[] {hits, n};
    }

    List<Oracle> oracle() {
        List<Oracle> out = new ArrayList<>();
        for (Comparison cmp : table.comparisons()) {
            double[] c = table.values(cmp.canaryModels(), cmp.set(), Scores.ORACLE);
            double[] t = table.values(cmp.twins(), cmp.set(), Scores.ORACLE);
            double[] last = table.values(cmp.canaryModels(), cmp.set(), Scores.ORACLE_LAST);
            out.add(new Oracle(cmp, c.length, RankStats.mean(c), RankStats.sd(c), min(c), max(c), count(c, threshold),
                    t.length, RankStats.mean(t), RankStats.sd(t), count(t, threshold), RankStats.mean(last),
                    count(last, threshold)));
        }
        return out;
    }

    double threshold() { return threshold; }

    private double[] modelValues(List<GridCell> models, String score) {
        return models.stream().map(c -> table.model(c, score)).flatMap(Optional::stream).mapToDouble(Double::doubleValue)
                .toArray();
    }

    private static double[] oriented(double[] v, double sign) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * sign;
        }
        return out;
    }

    private static int count(double[] v, double above) {
        int n = 0;
        for (double x : v) {
            if (x > above) {
                n++;
            }
        }
        return n;
    }

    private static double clamp(double v) {
        return Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, v));
    }

    private static double[] toArray(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double min(double[] v) {
        return java.util.Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return java.util.Arrays.stream(v).max().orElse(Double.NaN);
    }
}
