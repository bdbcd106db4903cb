package io.memaudit.cli.reproduce;

import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.score.Evidence;
import io.memaudit.common.score.MemorisationRule;
import io.memaudit.common.score.Verdict;
import io.memaudit.worker.TrendDetector;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Alerts over whole training runs, as the live audit raises them at every checkpoint: for each alert
 * path, the fraction of clean runs (twins) with at least one alert, and of canary runs that the oracle
 * says memorised, with 95 % Wilson intervals; and the verdict's rate per checkpoint on clean runs.
 *
 * <p>Everything is replayed from the rows, so a study recorded by an older memaudit is judged by
 * today's rules: the verdict ({@link MemorisationRule#DEFAULT}) from the per-checkpoint ranks in
 * checkpoint order, once with the label known (M_label's rank, as a worker given the feature's label
 * decides) and once without (M_KL's rank); the worker's {@link TrendDetector} with its defaults; the
 * Prometheus rules by promtool ({@link RuleReplay}) over the series a worker with the label exports,
 * a checkpoint every {@link #MINUTES_PER_CHECKPOINT} minutes. The verdict of memaudit 0.1 (rank 1 of 25
 * controls and both paired tests, per checkpoint) is the "before" row where the study recorded it.
 *
 * <p>Ground truth for canary runs, fixed before any detection result was looked at: the plain oracle
 * above the study's threshold (1 nat by default), and separately the feature-specific oracle above
 * {@code mean + 3 sd} of the twins' specific oracles in the same group (twins are negatives by
 * construction).
 */
final class RunAlerts {
    static final int MINUTES_PER_CHECKPOINT = 5;

    /** One run's alert paths that fired at least once, and its checkpoints with the verdict memorised per path. */
    record RunResult(GridCell cell, Set<String> fired, double oracle, double specificOracle, int checkpoints,
                     int labelTracks, Map<String, Integer> memorisedCheckpoints) {
        /** Checkpoint audits behind a path's count: one per checkpoint, per label for the label-known verdict. */
        int audits(String path) {
            return path.equals(VERDICT_LABEL) ? checkpoints * labelTracks : checkpoints;
        }
    }

    /** One line of the table: a group, a kind of run, a path, and k of n runs (or checkpoints) alerted. */
    record Rate(String group, String runs, String path, int alerted, int n) {
        double[] interval() { return wilson(alerted, n); }
    }

    private RunAlerts() { }

    static final String VERDICT_LABEL = "verdict (label known: M_label rank)";
    static final String VERDICT_KL = "verdict (label unknown: M_KL rank)";
    static final String LEGACY = "memaudit 0.1 verdict (K = 25; per checkpoint)";
    static final List<String> WORKER_KINDS = List.of("memorised", "threshold", "rising");
    static final String CHECKPOINTS = "twin checkpoints (clean)";

    /** The paths every table reports, in order. */
    static List<String> paths() {
        List<String> p = new ArrayList<>(List.of(VERDICT_LABEL, VERDICT_KL));
        WORKER_KINDS.forEach(kind -> p.add("worker " + kind));
        RuleReplay.ALERTS.forEach(a -> p.add("prometheus " + a));
        p.add(LEGACY);
        return p;
    }

    /** One checkpoint of a run, from its rows. */
    private record Point(int epoch, double mKl, Evidence kl, Boolean legacyVerdict) { }

    /**
     * Per run: which paths fired. The worker and Prometheus paths see what a worker given the feature's
     * label exports (the label-unknown verdict where a run has no label rows); the Prometheus ones only
     * when promtool could replay them.
     */
    static List<RunResult> runs(List<ResultRow> rows, Path rules, Path work, StringBuilder notes) {
        Map<String, List<ResultRow>> byRun = new TreeMap<>();
        rows.forEach(r -> byRun.computeIfAbsent(r.cell().runId(), k -> new ArrayList<>()).add(r));
        Map<String, List<RuleReplay.Point>> series = new LinkedHashMap<>();
        Map<String, Set<String>> fired = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> memorisedCheckpoints = new LinkedHashMap<>();
        Map<String, Integer> checkpoints = new LinkedHashMap<>();
        Map<String, Integer> labelTrackCounts = new LinkedHashMap<>();
        Map<String, GridCell> cells = new LinkedHashMap<>();
        MemorisationRule rule = MemorisationRule.DEFAULT;
        Map<String, String> trackRun = new LinkedHashMap<>(); // replay series key -> run id
        for (var e : byRun.entrySet()) {
            GridCell cell = e.getValue().get(0).cell();
            List<ResultRow> own = e.getValue().stream().filter(r -> r.canarySet().equals(cell.canarySet())).toList();
            List<Point> points = points(own);
            Set<String> paths = new TreeSet<>();
            Map<String, Integer> counts = new LinkedHashMap<>();
            List<Verdict> byKl = verdicts(rule, points.stream().map(Point::kl).toList());
            counts.put(VERDICT_KL, (int) byKl.stream().filter(v -> v == Verdict.MEMORISED).count());
            if (points.stream().anyMatch(p -> Boolean.TRUE.equals(p.legacyVerdict()))) {
                paths.add(LEGACY);
            }
            // label known: a canary run is audited with its canaries' label; a twin with each sibling's
            // (its own null trial per label), and counts as alerted when any of them fires
            Map<String, List<Evidence>> labels = labelTracks(e.getValue(), cell, points);
            List<List<Evidence>> tracks = labels.isEmpty() ? List.of(points.stream().map(Point::kl).toList())
                    : new ArrayList<>(labels.values());
            int labelMemorised = 0;
            for (int t = 0; t < tracks.size(); t++) {
                List<Evidence> evidence = tracks.get(t);
                List<Verdict> verdicts = labels.isEmpty() ? byKl : verdicts(rule, evidence);
                labelMemorised += (int) verdicts.stream().filter(v -> v == Verdict.MEMORISED).count();
                // the worker as deployed with the feature's label: its trend detector over the run's score events
                TrendDetector trend = TrendDetector.withWorkerDefaults();
                List<RuleReplay.Point> series1 = new ArrayList<>();
                for (int i = 0; i < points.size(); i++) {
                    Point p = points.get(i);
                    trend.onScore(event(cell.runId(), p, evidence.get(i), verdicts.get(i))).forEach(a -> paths.add("worker " + a.kind()));
                    series1.add(new RuleReplay.Point(p.mKl(), p.kl().rank(), verdicts.get(i) == Verdict.MEMORISED));
                }
                if (!points.isEmpty()) {
                    String key = tracks.size() == 1 ? e.getKey() : e.getKey() + "~" + t;
                    series.put(key, series1);
                    trackRun.put(key, e.getKey());
                }
            }
            if (!labels.isEmpty()) {
                counts.put(VERDICT_LABEL, labelMemorised);
            }
            counts.forEach((path, n) -> {
                if (n > 0) {
                    paths.add(path);
                }
            });
            fired.put(e.getKey(), paths);
            cells.put(e.getKey(), cell);
            checkpoints.put(e.getKey(), points.size());
            labelTrackCounts.put(e.getKey(), labels.size());
            memorisedCheckpoints.put(e.getKey(), counts);
        }
        try {
            RuleReplay.replay(rules, series, MINUTES_PER_CHECKPOINT, work).forEach((key, alerts) ->
                    alerts.forEach(a -> fired.get(trackRun.get(key)).add("prometheus " + a)));
        } catch (IOException e) {
            notes.append("The Prometheus rules were not replayed: ").append(e.getMessage()).append("\n\n");
        }
        List<RunResult> out = new ArrayList<>();
        fired.forEach((run, paths) -> out.add(new RunResult(cells.get(run), paths,
                value(byRun.get(run), Scores.ORACLE), value(byRun.get(run), Scores.ORACLE_SPECIFIC), checkpoints.get(run), labelTrackCounts.get(run),
                memorisedCheckpoints.get(run))));
        return out;
    }

    /** A run's label-known evidence: one track per label it was audited with (see {@link #labelTracks}). */
    record LabelRun(GridCell cell, double oracle, List<List<Evidence>> tracks) { }

    /** Every run with label-known evidence at each of its checkpoints. */
    static List<LabelRun> labelRuns(List<ResultRow> rows) {
        return labelRuns(rows, Scores.LABEL_RANK.name());
    }

    /** The same for the ranks recorded under {@code rankScore} (e.g. the sequential audit's). */
    static List<LabelRun> labelRuns(List<ResultRow> rows, String rankScore) {
        Map<String, List<ResultRow>> byRun = new TreeMap<>();
        rows.forEach(r -> byRun.computeIfAbsent(r.cell().runId(), k -> new ArrayList<>()).add(r));
        List<LabelRun> out = new ArrayList<>();
        byRun.forEach((run, rs) -> {
            GridCell cell = rs.get(0).cell();
            List<Point> points = points(rs.stream().filter(r -> r.canarySet().equals(cell.canarySet())).toList());
            Map<String, List<Evidence>> tracks = labelTracks(rs, cell, points, rankScore);
            if (!tracks.isEmpty() && !points.isEmpty()) {
                out.add(new LabelRun(cell, value(rs, Scores.ORACLE), new ArrayList<>(tracks.values())));
            }
        });
        return out;
    }

    /** The rule's verdict at each checkpoint of a run, given the ones before it (null evidence: never memorised). */
    static List<Verdict> verdicts(MemorisationRule rule, List<Evidence> evidence) {
        List<Verdict> out = new ArrayList<>();
        for (int i = 0; i < evidence.size(); i++) {
            Evidence now = evidence.get(i);
            List<Evidence> earlier = new ArrayList<>();
            for (int j = i - 1; j >= 0 && earlier.size() < rule.lookBack(); j--) {
                earlier.add(evidence.get(j));
            }
            out.add(now == null ? Verdict.NOT_MEMORISED : rule.decide(now, earlier));
        }
        return out;
    }

    /** The score event a worker would publish for a checkpoint (what its trend detector reads). */
    private static ScoreEvent event(String runId, Point p, Evidence e, Verdict v) {
        // what the trend detector reads; the rest stays unset (NaN p-values: not computed in the study)
        return ScoreEvent.builder().runId(runId).step(p.epoch()).epoch(p.epoch()).featureId("uf").probeSet("study")
                .mKl(p.mKl()).pValue(Double.NaN).pValueWilcoxon(Double.NaN)
                .controlRank(p.kl().rank()).controls(p.kl().controls())
                .labelControlRank(e.statistic() == Evidence.Statistic.LABEL_RANK ? e.rank() : null)
                .verdict(v.wire()).evidence(e.statistic().wire()).evidenceRank(e.rank()).evidenceP(e.p())
                .device("study").engine("study").workerId("study").modelSha256("").createdAt("")
                .build();
    }

    /**
     * The label-known evidence of a run per canary set, in the order of {@code points}: the run's own
     * set for a canary run, every sibling set for a twin; empty when a set lacks a checkpoint's rank.
     */
    private static Map<String, List<Evidence>> labelTracks(List<ResultRow> rows, GridCell cell, List<Point> points) {
        return labelTracks(rows, cell, points, Scores.LABEL_RANK.name());
    }

    private static Map<String, List<Evidence>> labelTracks(List<ResultRow> rows, GridCell cell, List<Point> points,
                                                           String rankScore) {
        Map<String, Map<Integer, ResultRow>> bySet = new TreeMap<>();
        rows.stream().filter(r -> r.score().equals(rankScore)
                        && (cell.isTwin() || r.canarySet().equals(cell.canarySet())))
                .forEach(r -> bySet.computeIfAbsent(r.canarySet(), k -> new TreeMap<>()).put(r.epoch(), r));
        Map<String, List<Evidence>> out = new LinkedHashMap<>();
        bySet.forEach((set, byEpoch) -> {
            if (points.stream().allMatch(p -> byEpoch.containsKey(p.epoch()))) {
                out.put(set, points.stream().map(p -> new Evidence(Evidence.Statistic.LABEL_RANK,
                        (int) byEpoch.get(p.epoch()).value(), p.kl().controls())).toList());
            }
        });
        return out;
    }

    /** The run's checkpoints in epoch order. */
    private static List<Point> points(List<ResultRow> own) {
        Map<Integer, Map<String, ResultRow>> perEpoch = new TreeMap<>();
        own.forEach(r -> perEpoch.computeIfAbsent(r.epoch(), x -> new java.util.HashMap<>()).put(r.score(), r));
        List<Point> out = new ArrayList<>();
        perEpoch.forEach((epoch, v) -> {
            ResultRow kl = v.get(Scores.KL_RANK.name());
            if (v.containsKey(Scores.M_KL.name()) && kl != null) {
                int k = Integer.parseInt(kl.detail());
                ResultRow legacy = v.get(Scores.VERDICT_DEFAULT); // recorded by studies with K > 25 only
                out.add(new Point(epoch, v.get(Scores.M_KL.name()).value(),
                        new Evidence(Evidence.Statistic.KL_RANK, (int) kl.value(), k),
                        legacy == null ? null : legacy.value() == 1));
            }
        });
        return out;
    }

    private static double value(List<ResultRow> rows, String score) {
        return rows.stream().filter(r -> r.score().equals(score) && r.canarySet().equals(r.cell().canarySet()))
                .mapToDouble(ResultRow::value).findFirst().orElse(Double.NaN);
    }

    /** The specific-oracle threshold of a group: mean + 3 sd of its twins' specific oracles (all sibling sets), at least 0. */
    static double specificThreshold(List<ResultRow> rows, String group) {
        double[] v = rows.stream().filter(r -> r.cell().isTwin() && r.cell().group().equals(group)
                && r.score().equals(Scores.ORACLE_SPECIFIC)).mapToDouble(ResultRow::value).filter(Double::isFinite).toArray();
        if (v.length < 2) {
            return Double.NaN;
        }
        double mean = java.util.Arrays.stream(v).average().orElse(0);
        double var = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
        return Math.max(0, mean + 3 * Math.sqrt(var));
    }

    static List<Rate> rates(List<ResultRow> rows, List<RunResult> runs, double oracleThreshold) {
        List<Rate> out = new ArrayList<>();
        Map<String, List<RunResult>> byGroup = new TreeMap<>();
        runs.forEach(r -> byGroup.computeIfAbsent(r.cell().group(), g -> new ArrayList<>()).add(r));
        Map<String, Double> tau = new TreeMap<>();
        byGroup.keySet().forEach(g -> tau.put(g, specificThreshold(rows, g)));
        byGroup.forEach((group, rs) -> out.addAll(groupRates(group, rs, oracleThreshold, "specific oracle > " + fmt(tau.get(group)),
                r -> r.specificOracle() > tau.get(group))));
        if (byGroup.size() > 1) {
            out.addAll(groupRates("all groups", runs, oracleThreshold, "specific oracle > its group's threshold",
                    r -> r.specificOracle() > tau.get(r.cell().group())));
        }
        return out;
    }

    private static List<Rate> groupRates(String group, List<RunResult> rs, double oracleThreshold, String specificTitle,
                                         java.util.function.Predicate<RunResult> specific) {
        Map<String, List<RunResult>> kinds = new LinkedHashMap<>();
        kinds.put("twins (clean)", rs.stream().filter(r -> r.cell().isTwin()).toList());
        kinds.put("canary runs, oracle > " + fmt(oracleThreshold), rs.stream()
                .filter(r -> !r.cell().isTwin() && r.oracle() > oracleThreshold).toList());
        kinds.put("canary runs, " + specificTitle, rs.stream().filter(r -> !r.cell().isTwin() && specific.test(r)).toList());
        List<Rate> out = new ArrayList<>();
        kinds.forEach((kind, list) -> {
            for (String path : paths()) {
                out.add(new Rate(group, kind, path, (int) list.stream().filter(r -> r.fired().contains(path)).count(), list.size()));
            }
        });
        // per checkpoint: how often the verdict says memorised on a clean run
        List<RunResult> twins = kinds.get("twins (clean)");
        for (String path : List.of(VERDICT_LABEL, VERDICT_KL)) {
            List<RunResult> with = twins.stream().filter(r -> path.equals(VERDICT_KL) || r.memorisedCheckpoints().containsKey(path)).toList();
            out.add(new Rate(group, CHECKPOINTS, path, with.stream().mapToInt(r -> r.memorisedCheckpoints().getOrDefault(path, 0)).sum(),
                    with.stream().mapToInt(r -> r.audits(path)).sum()));
        }
        return out;
    }

    static String markdown(List<Rate> rates, String notes) {
        StringBuilder md = new StringBuilder("\n## Alerts over whole runs\n\n");
        md.append("Every checkpoint of a run audited in order, as the live worker would. A run counts once if the path alerted at"
                + " any checkpoint; the last column counts clean checkpoints with the verdict memorised. Verdict: "
                + MemorisationRule.DEFAULT + " (rank p-value). Worker and Prometheus paths: a worker given the feature's label."
                + " Prometheus rules replayed with promtool, a checkpoint every " + MINUTES_PER_CHECKPOINT
                + " minutes. 95 % Wilson intervals.\n\n").append(notes);
        Map<String, List<Rate>> byGroup = new TreeMap<>();
        rates.forEach(r -> byGroup.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r));
        byGroup.forEach((group, rs) -> {
            List<String> kinds = rs.stream().map(Rate::runs).distinct().toList();
            List<String> paths = rs.stream().map(Rate::path).distinct().toList();
            md.append("**").append(group).append("**\n\n| path | ").append(String.join(" | ", kinds)).append(" |\n|---|");
            kinds.forEach(k -> md.append("---|"));
            md.append('\n');
            for (String path : paths) {
                md.append("| ").append(path);
                for (String kind : kinds) {
                    md.append(" | ").append(rs.stream().filter(r -> r.path().equals(path) && r.runs().equals(kind))
                            .findFirst().map(RunAlerts::cell).orElse("–"));
                }
                md.append(" |\n");
            }
            md.append('\n');
        });
        return md.toString();
    }

    static String cell(Rate r) {
        if (r.n() == 0) {
            return "–";
        }
        double[] ci = r.interval();
        return String.format(Locale.ROOT, "%d/%d (%.2f; %.2f–%.2f)", r.alerted(), r.n(), (double) r.alerted() / r.n(), ci[0], ci[1]);
    }

    /** The 95 % Wilson score interval of k successes in n trials. */
    static double[] wilson(int k, int n) {
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double z = 1.959963984540054;
        double p = (double) k / n;
        double d = 1 + z * z / n;
        double centre = (p + z * z / (2 * n)) / d;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / d;
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
