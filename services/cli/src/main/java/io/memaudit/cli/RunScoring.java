package io.memaudit.cli;

import io.memaudit.common.score.Evidence;

import io.memaudit.cli.report.CsvWriter;
import io.memaudit.cli.report.LinePlot;
import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.scoring.AuditResult;
import io.memaudit.common.scoring.CheckpointScorer;
import io.memaudit.common.scoring.ScoreEvents;
import io.memaudit.common.util.Json;
import io.memaudit.common.util.ProgressBar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Scores every checkpoint of a run in epoch order and writes the CSV and the plot of scores against epoch. */
final class RunScoring {
    /** What was written. */
    record Summary(Path csv, Path png) { }

    /** One scored checkpoint with its validation accuracy (null when unknown). */
    record Row(ScoreEvent score, Double valAccuracy) { }

    static final List<String> CSV_HEADER = List.of("run_id", "epoch", "step", "val_accuracy", "feature_id", "probe_set",
            "probes", "m_kl", "delta_from_first", "m_label", "m_prob_max", "argmax_class", "t", "p_value_t",
            "p_value_wilcoxon", "control_rank", "controls", "exposure", "z", "label_rank", "control_m_kl_mean",
            "control_m_kl_max", "evidence", "evidence_rank", "evidence_p", "verdict", "scoring_millis");

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
        List<CheckpointMetadata> metas = dirs.stream().map(CheckpointStore::readMetadata).toList();
        requireOneRun(run, dirs, metas, audit.uf != null);
        List<Row> rows = new ArrayList<>();
        List<Evidence> history = new ArrayList<>(); // most recent first: the verdict is the run's, as the worker decides it
        if (!json) {
            System.out.println(ScoreTable.RUN_HEADER);
        }
        try (ProgressBar bar = new ProgressBar("scoring", dirs.size(), System.err)) {
            for (int i = 0; i < dirs.size(); i++) {
                Path dir = dirs.get(i);
                CheckpointMetadata meta = metas.get(i);
                AuditResult r = scorer.score(dir, meta, audit.request(meta.feature() == null ? null : meta.feature().spec()));
                r = r.confirmedBy(scorer.rule(), history);
                history.add(0, r.evidence());
                Double first = rows.isEmpty() ? r.scores().mKl() : rows.get(0).score().mKl();
                Row row = new Row(ScoreEvents.of(r, r.featureId(), r.scores().mKl() - first, scorer.engineDescription(),
                        "cli"), meta.metrics() == null ? null : meta.metrics().valAccuracy());
                rows.add(row);
                System.out.println(json ? Json.COMPACT.toJson(row.score()) : ScoreTable.runRow(row));
                bar.step(1, dir.getFileName().toString());
            }
        }
        return writeReports(rows, outDir);
    }

    /**
     * Refuses a directory whose checkpoints belong to more than one run (or, when no --uf names the
     * feature, plant more than one feature): their scores on one curve, under one run's title, would
     * read as one run's history, and the verdict would be confirmed across runs.
     */
    static void requireOneRun(Path run, List<Path> dirs, List<CheckpointMetadata> metas, boolean featureGiven) {
        java.util.Map<String, List<String>> byRun = new java.util.LinkedHashMap<>();
        java.util.Map<String, List<String>> byFeature = new java.util.LinkedHashMap<>();
        for (int i = 0; i < dirs.size(); i++) {
            String name = dirs.get(i).getFileName().toString();
            byRun.computeIfAbsent(metas.get(i).runId(), k -> new ArrayList<>()).add(name);
            String feature = metas.get(i).feature() == null ? "(none)" : metas.get(i).feature().spec();
            byFeature.computeIfAbsent(feature, k -> new ArrayList<>()).add(name);
        }
        if (byRun.size() > 1) {
            throw new IllegalArgumentException("--all-checkpoints " + run + " holds checkpoints of " + byRun.size()
                    + " runs (" + describe(byRun) + "); score one run at a time: move the others out, or score each with --checkpoint");
        }
        if (byFeature.size() > 1 && !featureGiven) {
            throw new IllegalArgumentException("--all-checkpoints " + run + ": its checkpoints plant different features ("
                    + describe(byFeature) + "); name the one to audit with --uf");
        }
    }

    private static String describe(java.util.Map<String, List<String>> groups) {
        List<String> parts = new ArrayList<>();
        groups.forEach((key, names) -> parts.add(key + ": " + (names.size() == 1 ? names.get(0)
                : names.size() + " checkpoints, " + names.get(0) + " … " + names.get(names.size() - 1))));
        return String.join("; ", parts);
    }

    /** Writes scores.csv and scores.png for the rows into {@code outDir}. */
    static Summary writeReports(List<Row> rows, Path outDir) throws IOException {
        if (rows.isEmpty()) {
            throw new IllegalStateException("no scores to write");
        }
        Files.createDirectories(outDir);
        Path csv = outDir.resolve("scores.csv");
        CsvWriter.write(csv, CSV_HEADER, rows.stream().map(RunScoring::csvRow).toList());
        Path png = outDir.resolve("scores.png");
        plot(rows, png);
        return new Summary(csv, png);
    }

    private static List<String> csvRow(Row row) {
        ScoreEvent s = row.score();
        return List.of(s.runId(), str(s.epoch()), str(s.step()), str(row.valAccuracy()), s.featureId(), s.probeSet(),
                str(s.probes()), str(s.mKl()), str(s.deltaFromFirst()), str(s.mLabel()), str(s.mProbMax()),
                str(s.argmaxClass()), str(s.tStatistic()), str(s.pValue()), str(s.pValueWilcoxon()), str(s.controlRank()),
                str(s.controls()), str(s.exposure()), str(s.z()), str(s.labelControlRank()), str(s.controlMKlMean()),
                str(s.controlMKlMax()), str(s.evidence()), str(s.evidenceRank()), str(s.evidenceP()), s.verdict(), String.format(Locale.ROOT, "%.1f", s.scoringMillis()));
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    private static void plot(List<Row> rows, Path png) throws IOException {
        double[] epochs = rows.stream().mapToDouble(r -> r.score().epoch()).toArray();
        ScoreEvent first = rows.get(0).score();
        double threshold = io.memaudit.common.score.AlertDefaults.M_KL_THRESHOLD;
        LinePlot.builder()
                .title("Memorisation of " + first.featureId() + ", run " + first.runId())
                .xLabel("epoch").integerX().yLabel("M_KL, nats (feature vs random patch)")
                .series(first.featureId(), epochs, rows.stream().mapToDouble(r -> r.score().mKl()).toArray())
                .band("controls: mean to max", epochs, rows.stream().mapToDouble(r -> r.score().controlMKlMean()).toArray(),
                        rows.stream().mapToDouble(r -> r.score().controlMKlMax()).toArray())
                .referenceLine(epochs[0], 0, epochs[epochs.length - 1], 0)
                .threshold(threshold, String.format(Locale.ROOT, "alert threshold %.3f (information)", threshold))
                .build().writePng(png, 900, 500);
    }
}
