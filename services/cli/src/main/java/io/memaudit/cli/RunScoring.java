package io.memaudit.cli;

import io.memaudit.cli.report.CsvWriter;
import io.memaudit.cli.report.LinePlot;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.scoring.AuditResult;
import io.memaudit.common.scoring.CheckpointScorer;
import io.memaudit.common.util.Json;
import io.memaudit.common.util.ProgressBar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Scores every checkpoint of a run in epoch order and writes the CSV and the plot of scores against epoch. */
final class RunScoring {
    record Summary(List<AuditResult> results, Path csv, Path png) { }

    /** One scored checkpoint; delta is M_KL minus the run's first checkpoint's M_KL. */
    record Row(CheckpointMetadata meta, AuditResult result, double delta) { }

    static final List<String> CSV_HEADER = List.of("run_id", "epoch", "step", "val_accuracy", "feature_id", "probe_set",
            "probes", "m_kl", "delta_from_first", "m_label", "m_prob_max", "argmax_class", "t", "p_value_t",
            "p_value_wilcoxon", "control_rank", "controls", "exposure", "z", "label_rank", "control_m_kl_mean",
            "control_m_kl_max", "verdict", "scoring_millis");

    private final CheckpointScorer scorer;
    private final AuditOptions audit;
    private final boolean json;

    RunScoring(CheckpointScorer scorer, AuditOptions audit, boolean json) {
        this.scorer = scorer;
        this.audit = audit;
        this.json = json;
    }

    static List<Path> checkpoints(Path run) {
        if (!Files.isDirectory(run)) {
            throw new IllegalArgumentException("run directory " + run + " does not exist");
        }
        try (Stream<Path> s = Files.list(run)) {
            List<Path> dirs = s.filter(p -> p.getFileName().toString().matches("ckpt-\\d+") && Files.isDirectory(p))
                    .sorted().toList();
            if (dirs.isEmpty()) {
                throw new IllegalArgumentException("run directory " + run + " has no ckpt-NNNN checkpoints");
            }
            return dirs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + run + ": " + e.getMessage(), e);
        }
    }

    Summary scoreRun(Path run, Path outDir) throws IOException {
        List<Path> dirs = checkpoints(run);
        List<Row> rows = new ArrayList<>();
        if (!json) {
            System.out.println(ScoreTable.RUN_HEADER);
        }
        try (ProgressBar bar = new ProgressBar("scoring", dirs.size(), System.err)) {
            for (Path dir : dirs) {
                CheckpointMetadata meta = CheckpointStore.readMetadata(dir);
                AuditResult r = scorer.score(dir, meta, audit.request(meta.feature() == null ? null : meta.feature().spec()));
                Row row = row(rows, meta, r);
                System.out.println(json ? Json.COMPACT.toJson(ResultJson.toMap(r, row.delta())) : ScoreTable.runRow(meta, r));
                bar.step(1, dir.getFileName().toString());
            }
        }
        return writeReports(rows, outDir);
    }

    /** Appends a row for {@code r}, computing its delta from the first row's M_KL. */
    static Row row(List<Row> rows, CheckpointMetadata meta, AuditResult r) {
        double first = rows.isEmpty() ? r.scores().mKl() : rows.get(0).result().scores().mKl();
        Row row = new Row(meta, r, r.scores().mKl() - first);
        rows.add(row);
        return row;
    }

    /** Writes scores.csv and scores.png for the rows into {@code outDir}. */
    static Summary writeReports(List<Row> rows, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        Path csv = outDir.resolve("scores.csv");
        CsvWriter.write(csv, CSV_HEADER, rows.stream().map(r -> csvRow(r.meta(), r.result(), r.delta())).toList());
        Path png = outDir.resolve("scores.png");
        List<AuditResult> results = rows.stream().map(Row::result).toList();
        plot(results, png);
        return new Summary(results, csv, png);
    }

    private static List<String> csvRow(CheckpointMetadata meta, AuditResult r, double delta) {
        Double valAcc = meta.metrics() == null ? null : meta.metrics().valAccuracy();
        double[] c = r.controlMKl();
        return List.of(r.runId(), str(r.epoch()), str(r.step()), str(valAcc), r.featureId(), r.probeSet(),
                str(r.scores().n()), str(r.scores().mKl()), str(delta), str(r.scores().mLabel()), str(r.scores().mProbMax()),
                str(r.scores().mProbArgmax()), str(r.scores().tStatistic()), str(r.scores().pValueT()),
                str(r.scores().pValueWilcoxon()), str(r.kl().rank()), str(r.kl().controls()), str(r.kl().exposure()),
                str(r.kl().z()), r.label() == null ? "" : str(r.label().rank()),
                str(Arrays.stream(c).average().orElse(Double.NaN)), str(Arrays.stream(c).max().orElse(Double.NaN)),
                r.verdict().wire(), String.format(Locale.ROOT, "%.1f", r.totalMillis()));
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    private static void plot(List<AuditResult> results, Path png) throws IOException {
        double[] epochs = results.stream().mapToDouble(AuditResult::epoch).toArray();
        double[] uf = results.stream().mapToDouble(r -> r.scores().mKl()).toArray();
        double[] ctlMean = results.stream().mapToDouble(r -> Arrays.stream(r.controlMKl()).average().orElse(0)).toArray();
        double[] ctlMax = results.stream().mapToDouble(r -> Arrays.stream(r.controlMKl()).max().orElse(0)).toArray();
        LinePlot.builder()
                .title("Memorisation of " + results.get(0).featureId() + ", run " + results.get(0).runId())
                .xLabel("epoch").yLabel("M_KL (feature vs random patch)")
                .series(results.get(0).featureId(), epochs, uf)
                .series("controls: max", epochs, ctlMax)
                .series("controls: mean", epochs, ctlMean)
                .threshold(0.0, "0 = no reaction beyond noise")
                .build().writePng(png, 900, 500);
    }
}
