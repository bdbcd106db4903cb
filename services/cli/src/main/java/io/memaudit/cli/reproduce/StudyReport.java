package io.memaudit.cli.reproduce;

import io.memaudit.cli.report.CsvWriter;
import io.memaudit.cli.reproduce.Summaries.Accuracy;
import io.memaudit.cli.reproduce.Summaries.Agreement;
import io.memaudit.cli.reproduce.Summaries.Detection;
import io.memaudit.cli.reproduce.Summaries.Oracle;
import io.memaudit.cli.reproduce.Summaries.VerdictRate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Everything next to the results file: REPORT.md, small summary CSVs (summary-*.csv) and the plots
 * (plots/*.png), all from the complete models' rows.
 */
public final class StudyReport {
    private StudyReport() { }

    public static void write(List<ResultRow> rows, StudySettings settings, Path outDir) throws IOException {
        if (rows.isEmpty()) {
            return;
        }
        StudyTable table = new StudyTable(rows);
        Summaries s = new Summaries(table, settings.oracleThreshold());
        StringBuilder notes = new StringBuilder();
        Path rules = outDir.resolve("rule-replay").resolve("memaudit.yml");
        Files.createDirectories(rules.getParent());
        try (var in = StudyReport.class.getResourceAsStream("rules/memaudit.yml")) {
            Files.copy(in, rules, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<RunAlerts.Rate> runAlerts = RunAlerts.rates(rows, RunAlerts.runs(rows, rules, rules.getParent(), notes),
                settings.oracleThreshold());
        List<RunRuleCurve.Point> curve = RunRuleCurve.compute(rows, settings.oracleThreshold());
        Files.writeString(outDir.resolve("REPORT.md"), MarkdownReport.render(s, settingsLine(rows, settings))
                + RunAlerts.markdown(runAlerts, notes.toString()) + RunRuleCurve.markdown(curve, settings.oracleThreshold())
                + SequentialComparison.markdown(SequentialComparison.compute(rows, settings.oracleThreshold()),
                        settings.oracleThreshold()),
                StandardCharsets.UTF_8);
        writeCsvs(s, outDir);
        CsvWriter.write(outDir.resolve("summary-run-alerts.csv"), List.of("group", "runs", "path", "alerted", "n",
                "rate", "ci95_low", "ci95_high"), runAlerts.stream().map(r -> List.<Object>of(r.group(), r.runs(), r.path(),
                r.alerted(), r.n(), r.n() == 0 ? "" : n((double) r.alerted() / r.n()), n(r.interval()[0]),
                n(r.interval()[1]))).toList());
        new StudyPlots(table, outDir.resolve("plots")).writeAll();
        RunRuleCurve.plot(curve, outDir.resolve("plots").resolve("run-rule-curve.png"));
    }

    private static String settingsLine(List<ResultRow> rows, StudySettings st) {
        TreeSet<Long> seeds = new TreeSet<>();
        rows.forEach(r -> seeds.add(r.cell().seed()));
        long models = rows.stream().map(r -> r.cell().runId()).distinct().count();
        return String.format(Locale.ROOT, "%d models; seeds %s; early stopping on validation loss (patience %d); "
                + "feature %s; epochs and probes per group in the first table.", models, seeds, st.patience(), st.feature());
    }

    private static void writeCsvs(Summaries s, Path dir) throws IOException {
        CsvWriter.write(dir.resolve("summary-accuracy.csv"), List.of("group", "settings", "models", "test_accuracy_mean",
                "test_accuracy_sd", "test_accuracy_min", "test_accuracy_max", "best_epoch_mean", "epochs_trained_mean",
                "wall_seconds_mean", "train_seconds_mean"), s.accuracy().stream().map(StudyReport::row).toList());
        CsvWriter.write(dir.resolve("summary-detection.csv"), List.of("group", "canary_set", "score", "n_canary",
                "n_twin", "canary_mean", "canary_sd", "twin_mean", "twin_sd", "auc_vs_twin", "auc_vs_twin_last"),
                s.detection().stream().map(StudyReport::row).toList());
        CsvWriter.write(dir.resolve("summary-oracle-agreement.csv"), List.of("group", "canary_set", "score",
                "oracle_positives", "oracle_negatives", "auc_vs_oracle", "spearman_oracle", "threshold"),
                s.agreement().stream().map(a -> row(a, s.threshold())).toList());
        CsvWriter.write(dir.resolve("summary-verdict.csv"), List.of("group", "canary_set", "n_canary",
                "memorised_canaries", "tpr", "n_twin", "memorised_twins", "fpr"),
                s.verdicts().stream().map(StudyReport::row).toList());
        CsvWriter.write(dir.resolve("summary-rules.csv"), List.of("group", "canary_set", "rule", "n_canary",
                "canary_flagged", "n_twin", "twins_flagged"), s.ruleRates().stream().map(r -> List.<Object>of(r.group(),
                r.set(), r.rule().name(), r.nCanary(), r.canaryHits(), r.nTwin(), r.twinHits())).toList());
        CsvWriter.write(dir.resolve("summary-oracle.csv"), List.of("group", "canary_set", "n_canary", "canary_mean",
                "canary_sd", "canary_min", "canary_max", "canary_above_threshold", "n_twin", "twin_mean", "twin_sd",
                "twin_above_threshold", "canary_last_mean", "canary_last_above_threshold", "threshold"), s.oracle().stream().map(o -> row(o, s.threshold())).toList());
    }

    private static List<Object> row(Accuracy a) {
        return List.of(a.group(), a.settings(), a.models(), n(a.mean()), n(a.sd()), n(a.min()), n(a.max()), n(a.meanBestEpoch()),
                n(a.meanEpochsTrained()), n(a.meanWallSeconds()), n(a.meanTrainSeconds()));
    }

    private static List<Object> row(Detection d) {
        return List.of(d.cmp().group(), d.cmp().set(), d.score().name(), d.nCanary(), d.nTwin(), n(d.canaryMean()),
                n(d.canarySd()), n(d.twinMean()), n(d.twinSd()), n(d.aucVsTwin()),
                n(d.aucVsTwinLast()));
    }

    private static List<Object> row(Agreement a, double threshold) {
        return List.of(a.group(), a.set(), a.score().name(), a.positives(), a.negatives(), n(a.auc()), n(a.spearman()),
                n(threshold));
    }

    private static List<Object> row(VerdictRate v) {
        return List.of(v.cmp().group(), v.cmp().set(), v.nCanary(), v.memorisedCanaries(),
                n(v.memorisedCanaries() / (double) v.nCanary()), v.nTwin(), v.memorisedTwins(),
                n(v.memorisedTwins() / (double) v.nTwin()));
    }

    private static List<Object> row(Oracle o, double threshold) {
        return List.of(o.cmp().group(), o.cmp().set(), o.nCanary(), n(o.canaryMean()), n(o.canarySd()), n(o.canaryMin()),
                n(o.canaryMax()), o.canaryAbove(), o.nTwin(), n(o.twinMean()), n(o.twinSd()), o.twinAbove(),
                n(o.canaryLastMean()), o.canaryLastAbove(), n(threshold));
    }

    private static String n(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }
}
