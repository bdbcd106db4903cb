package io.memaudit.cli.reproduce;

import io.memaudit.cli.report.BarPlot;
import io.memaudit.cli.report.LinePlot;
import io.memaudit.cli.reproduce.RankStats.RocPoint;
import io.memaudit.cli.reproduce.Scores.Score;
import io.memaudit.cli.reproduce.StudyTable.Comparison;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The study's PNG plots: each score against the canary count per variant, per variant for a shared canary
 * set (bars), score trajectories across
 * epochs (canary models vs twins), and ROC curves of canary-vs-twin separation per score.
 */
final class StudyPlots {
    private static final int W = 800;
    private static final int H = 450;
    /** Scores drawn against the canary count (the oracle too). */
    private static final List<String> BY_COUNT = List.of("m_kl", "kl_z", "m_label", "label_z", "m_prob_max", Scores.ORACLE);
    private static final List<String> TRAJECTORY = List.of("m_kl", "kl_z", "m_label");
    /** Scores drawn per variant, for a canary set that two or more variants have. */
    private static final List<String> BY_VARIANT = List.of(Scores.ORACLE, "m_kl", "kl_z", "m_label", "label_z");

    private final StudyTable table;
    private final Path dir;
    private final List<Path> written = new ArrayList<>();

    StudyPlots(StudyTable table, Path dir) {
        this.table = table;
        this.dir = dir;
    }

    /** Writes every plot and returns the files. */
    List<Path> writeAll() throws IOException {
        List<Comparison> cmps = table.comparisons();
        for (String dmc : datasetModelChoices(cmps)) {
            for (String score : BY_COUNT) {
                byCount(cmps, dmc, score);
            }
        }
        for (String dms : datasetModelSets(cmps)) {
            for (String score : BY_VARIANT) {
                byVariant(cmps, dms, score);
            }
        }
        for (Comparison cmp : cmps) {
            for (String score : TRAJECTORY) {
                trajectory(cmp, score);
            }
            roc(cmp);
        }
        return written;
    }

    static String fileStem(Comparison cmp) {
        return cmp.group().replace('/', '-') + "-" + cmp.choice() + "-" + cmp.canaries();
    }

    /** "mnist/mlp|random": the plots of one data set and model, one canary choice, across variants and counts. */
    private static List<String> datasetModelChoices(List<Comparison> cmps) {
        Set<String> out = new LinkedHashSet<>();
        cmps.forEach(c -> out.add(c.group().substring(0, c.group().lastIndexOf('/')) + "|" + c.choice()));
        return new ArrayList<>(out);
    }

    /** "mnist/mlp|hard:1": a data set and model with one canary set, when two or more variants have it. */
    private static List<String> datasetModelSets(List<Comparison> cmps) {
        Map<String, Integer> variants = new TreeMap<>();
        Set<String> ordered = new LinkedHashSet<>();
        for (Comparison c : cmps) {
            String key = c.group().substring(0, c.group().lastIndexOf('/')) + "|" + c.set();
            ordered.add(key);
            variants.merge(key, 1, Integer::sum);
        }
        return ordered.stream().filter(k -> variants.get(k) >= 2).toList();
    }

    private void byVariant(List<Comparison> cmps, String dms, String score) throws IOException {
        String dm = dms.substring(0, dms.indexOf('|'));
        String set = dms.substring(dms.indexOf('|') + 1);
        BarPlot.Builder b = BarPlot.builder().title(title(score) + " per variant, " + dm + ", " + set + " canaries")
                .xLabel("variant (bars: mean over seeds, whiskers: ± sd)").yLabel(title(score));
        for (Comparison c : cmps) {
            if (!c.group().startsWith(dm + "/") || !c.set().equals(set)) {
                continue;
            }
            String variant = c.group().substring(dm.length() + 1);
            bar(b, "canary models", variant, table.values(c.canaryModels(), c.set(), score));
            bar(b, "twins", variant, table.values(c.twins(), c.set(), score));
        }
        if (b.categories().size() >= 2) {
            Path f = dir.resolve("by-variant-" + dm.replace('/', '-') + "-" + set.replace(':', '-') + "-" + score + ".png");
            b.build().writePng(f, W, H);
            written.add(f);
        }
    }

    private static void bar(BarPlot.Builder b, String series, String variant, double[] values) {
        if (values.length > 0) {
            double sd = values.length > 1 ? RankStats.sd(values) : Double.NaN;
            b.bar(series, variant, RankStats.mean(values), sd);
        }
    }

    private void byCount(List<Comparison> cmps, String dmc, String score) throws IOException {
        String dm = dmc.substring(0, dmc.indexOf('|'));
        String choice = dmc.substring(dmc.indexOf('|') + 1);
        Map<String, double[][]> series = new TreeMap<>();
        for (Comparison c : cmps) {
            if (!c.group().startsWith(dm + "/") || !c.choice().equals(choice)) {
                continue;
            }
            String variant = c.group().substring(dm.length() + 1);
            double x = c.canaries();
            add(series, variant + ": canary models", x, RankStats.mean(table.values(c.canaryModels(), c.set(), score)));
            add(series, variant + ": twins", x, RankStats.mean(table.values(c.twins(), c.set(), score)));
        }
        LinePlot.Builder b = LinePlot.builder().title(title(score) + " by canary count, " + dm + ", " + choice + " canaries")
                .xLabel("canaries (log scale)").logX().yLabel(title(score) + ", mean over seeds");
        if (addSeries(b, series)) {
            write(b, "by-count-" + dm.replace('/', '-') + "-" + choice + "-" + score + ".png");
        }
    }

    private void trajectory(Comparison cmp, String score) throws IOException {
        Map<String, double[][]> series = new TreeMap<>();
        table.meanTrajectory(cmp.canaryModels(), cmp.set(), score).forEach((e, v) ->
                add(series, "canary models (" + cmp.canaryModels().size() + ")", e, v));
        table.meanTrajectory(cmp.twins(), cmp.set(), score).forEach((e, v) ->
                add(series, "twins (" + cmp.twins().size() + ")", e, v));
        LinePlot.Builder b = LinePlot.builder().title(title(score) + " across epochs, " + cmp.group() + ", " + cmp.set())
                .xLabel("epoch").integerX().yLabel(title(score) + ", mean over the runs still training");
        labelRunCounts(b, cmp.canaryModels(), cmp.set(), score);
        labelRunCounts(b, cmp.twins(), cmp.set(), score);
        if (addSeries(b, series)) {
            write(b, "trajectory-" + fileStem(cmp) + "-" + score + ".png");
        }
    }

    /** "n = 3" above each mean made of fewer runs than the series' first (runs that stopped early drop out). */
    private void labelRunCounts(LinePlot.Builder b, List<GridCell> cells, String set, String score) {
        java.util.TreeMap<Integer, Integer> counts = table.trajectoryCounts(cells, set, score);
        java.util.TreeMap<Integer, Double> means = table.meanTrajectory(cells, set, score);
        int full = counts.isEmpty() ? 0 : counts.firstEntry().getValue();
        counts.forEach((epoch, n) -> {
            if (n < full && Double.isFinite(means.get(epoch))) {
                b.pointLabel(epoch, means.get(epoch), "n=" + n);
            }
        });
    }

    private void roc(Comparison cmp) throws IOException {
        LinePlot.Builder b = LinePlot.builder().title("ROC, canary models vs twins, " + cmp.group() + ", " + cmp.set())
                .xLabel("false-positive rate (twins)").yLabel("true-positive rate (canary models)")
                .referenceLine(0, 0, 1, 1); // chance
        for (Score s : Scores.REPORTED) {
            double[] pos = signed(table.values(cmp.canaryModels(), cmp.set(), s.name()), s.sign());
            double[] neg = signed(table.values(cmp.twins(), cmp.set(), s.name()), s.sign());
            if (pos.length == 0 || neg.length == 0) {
                continue;
            }
            List<RocPoint> pts = RankStats.roc(pos, neg);
            b.series(String.format(java.util.Locale.ROOT, "%s (AUC %.2f)", s.title(), RankStats.auc(pos, neg)),
                    pts.stream().mapToDouble(RocPoint::fpr).toArray(), pts.stream().mapToDouble(RocPoint::tpr).toArray());
        }
        write(b, "roc-" + fileStem(cmp) + ".png");
    }

    private static void add(Map<String, double[][]> series, String name, double x, double y) {
        if (Double.isFinite(y)) {
            double[][] xy = series.computeIfAbsent(name, k -> new double[2][0]);
            xy[0] = append(xy[0], x);
            xy[1] = append(xy[1], y);
        }
    }

    private static boolean addSeries(LinePlot.Builder b, Map<String, double[][]> series) {
        series.forEach((name, xy) -> b.series(name, xy[0], xy[1]));
        return !series.isEmpty();
    }

    private void write(LinePlot.Builder b, String name) throws IOException {
        Path f = dir.resolve(name);
        b.build().writePng(f, W, H);
        written.add(f);
    }

    private static String title(String score) {
        if (score.equals(Scores.ORACLE)) {
            return "oracle";
        }
        return Scores.REPORTED.stream().filter(s -> s.name().equals(score)).map(Score::title).findFirst().orElse(score);
    }

    private static double[] signed(double[] v, double sign) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= sign;
        }
        return out;
    }

    private static double[] append(double[] a, double v) {
        double[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }
}
