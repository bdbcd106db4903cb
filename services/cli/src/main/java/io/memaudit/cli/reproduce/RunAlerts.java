package io.memaudit.cli.reproduce;

import io.memaudit.common.feature.ControlFeatures;

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
 * Alerts over whole training runs, as the live audit would raise them at every checkpoint: for each
 * alert path, the fraction of clean runs (twins) with at least one alert, and of canary runs that the
 * oracle says memorised, with 95 % Wilson intervals. Paths: the worker's trend detector (rows
 * alert_threshold, alert_rising, alert_verdict_change, recorded during the study by the worker's own
 * class), the verdict at any checkpoint, and the Prometheus rules replayed by promtool ({@link RuleReplay})
 * with a checkpoint every {@link #MINUTES_PER_CHECKPOINT} minutes.
 *
 * <p>Ground truth for canary runs, fixed before any detection result was looked at: the plain oracle
 * above the study's threshold (1 nat by default), and separately the feature-specific oracle above
 * {@code mean + 3 sd} of the twins' specific oracles in the same group (twins are negatives by
 * construction).
 */
final class RunAlerts {
    static final int MINUTES_PER_CHECKPOINT = 5;

    /** One run's alert paths that fired at least once. */
    record RunResult(GridCell cell, Set<String> fired, double oracle, double specificOracle) { }

    /** One line of the table: a group, a kind of run, a path, and k of n runs alerted. */
    record Rate(String group, String runs, String path, int alerted, int n) {
        double[] interval() { return wilson(alerted, n); }
    }

    private RunAlerts() { }

    static final String VERDICT_ANY = "verdict (K = 25) at any checkpoint";
    static final String VERDICT_TWICE = "verdict (K = 25) at 2 consecutive checkpoints";

    /** The paths of a study audited with {@code k} controls. */
    static List<String> paths(int k) {
        List<String> p = new ArrayList<>();
        Scores.WORKER_ALERTS.forEach(kind -> p.add("worker " + kind));
        p.add(VERDICT_ANY);
        p.add(VERDICT_TWICE);
        if (k > ControlFeatures.K) {
            p.add(studyVerdict(k));
        }
        RuleReplay.ALERTS.forEach(a -> p.add("prometheus " + a));
        return p;
    }

    private static String studyVerdict(int k) {
        return "verdict (K = " + k + ") at any checkpoint";
    }

    /** One checkpoint of a run: M_KL, the study-K rank and verdict, and the default-K rank and verdict. */
    private record Point(double mKl, int rank, boolean verdict, int defaultRank, boolean defaultVerdict) { }

    /**
     * Per run: which paths fired. The worker and Prometheus paths see what a worker with the default
     * 25 controls exports (the default-controls view when the study used more); the Prometheus ones
     * only when promtool could replay them.
     */
    static List<RunResult> runs(List<ResultRow> rows, Path rules, Path work, StringBuilder notes) {
        Map<String, List<ResultRow>> byRun = new TreeMap<>();
        rows.forEach(r -> byRun.computeIfAbsent(r.cell().runId(), k -> new ArrayList<>()).add(r));
        Map<String, List<RuleReplay.Point>> series = new LinkedHashMap<>();
        Map<String, Set<String>> fired = new LinkedHashMap<>();
        Map<String, GridCell> cells = new LinkedHashMap<>();
        for (var e : byRun.entrySet()) {
            GridCell cell = e.getValue().get(0).cell();
            List<ResultRow> own = e.getValue().stream().filter(r -> r.canarySet().equals(cell.canarySet())).toList();
            Set<String> paths = new TreeSet<>();
            own.forEach(r -> Scores.WORKER_ALERTS.stream().filter(k -> r.score().equals(Scores.alertScore(k)) && r.value() > 0)
                    .forEach(k -> paths.add("worker " + k)));
            List<Point> points = points(own);
            int k = own.stream().filter(r -> r.score().equals(Scores.KL_RANK.name())).map(r -> Integer.parseInt(r.detail()))
                    .findFirst().orElse(ControlFeatures.K);
            for (int i = 0; i < points.size(); i++) {
                if (points.get(i).defaultVerdict()) {
                    paths.add(VERDICT_ANY);
                    if (i > 0 && points.get(i - 1).defaultVerdict()) {
                        paths.add(VERDICT_TWICE);
                    }
                }
                if (points.get(i).verdict() && k > ControlFeatures.K) {
                    paths.add(studyVerdict(k));
                }
            }
            if (!points.isEmpty()) {
                series.put(e.getKey(), points.stream()
                        .map(p -> new RuleReplay.Point(p.mKl(), p.defaultRank(), p.defaultVerdict())).toList());
            }
            fired.put(e.getKey(), paths);
            cells.put(e.getKey(), cell);
        }
        try {
            RuleReplay.replay(rules, series, MINUTES_PER_CHECKPOINT, work).forEach((run, alerts) ->
                    alerts.forEach(a -> fired.get(run).add("prometheus " + a)));
        } catch (IOException e) {
            notes.append("The Prometheus rules were not replayed: ").append(e.getMessage()).append("\n\n");
        }
        List<RunResult> out = new ArrayList<>();
        fired.forEach((run, paths) -> out.add(new RunResult(cells.get(run), paths,
                value(byRun.get(run), Scores.ORACLE), value(byRun.get(run), Scores.ORACLE_SPECIFIC))));
        return out;
    }

    /** The run's checkpoints in epoch order; the default-K values fall back to the study's when K is the default. */
    private static List<Point> points(List<ResultRow> own) {
        Map<Integer, Map<String, Double>> perEpoch = new TreeMap<>();
        own.forEach(r -> perEpoch.computeIfAbsent(r.epoch(), x -> new java.util.HashMap<>()).put(r.score(), r.value()));
        List<Point> out = new ArrayList<>();
        perEpoch.forEach((epoch, v) -> {
            if (v.containsKey("m_kl") && v.containsKey(Scores.KL_RANK.name()) && v.containsKey(Scores.VERDICT)) {
                int rank = v.get(Scores.KL_RANK.name()).intValue();
                boolean verdict = v.get(Scores.VERDICT) == 1;
                out.add(new Point(v.get("m_kl"), rank, verdict,
                        v.getOrDefault(Scores.KL_RANK_DEFAULT, (double) rank).intValue(),
                        v.getOrDefault(Scores.VERDICT_DEFAULT, verdict ? 1.0 : 0.0) == 1));
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

    static List<Rate> rates(List<ResultRow> rows, List<RunResult> runs, double oracleThreshold, int k) {
        List<Rate> out = new ArrayList<>();
        Map<String, List<RunResult>> byGroup = new TreeMap<>();
        runs.forEach(r -> byGroup.computeIfAbsent(r.cell().group(), g -> new ArrayList<>()).add(r));
        Map<String, Double> tau = new TreeMap<>();
        byGroup.keySet().forEach(g -> tau.put(g, specificThreshold(rows, g)));
        byGroup.forEach((group, rs) -> out.addAll(groupRates(group, rs, oracleThreshold, "specific oracle > " + fmt(tau.get(group)),
                r -> r.specificOracle() > tau.get(group), k)));
        if (byGroup.size() > 1) {
            out.addAll(groupRates("all groups", runs, oracleThreshold, "specific oracle > its group's threshold",
                    r -> r.specificOracle() > tau.get(r.cell().group()), k));
        }
        return out;
    }

    private static List<Rate> groupRates(String group, List<RunResult> rs, double oracleThreshold, String specificTitle,
                                         java.util.function.Predicate<RunResult> specific, int k) {
        Map<String, List<RunResult>> kinds = new LinkedHashMap<>();
        kinds.put("twins (clean)", rs.stream().filter(r -> r.cell().isTwin()).toList());
        kinds.put("canary runs, oracle > " + fmt(oracleThreshold), rs.stream()
                .filter(r -> !r.cell().isTwin() && r.oracle() > oracleThreshold).toList());
        kinds.put("canary runs, " + specificTitle, rs.stream().filter(r -> !r.cell().isTwin() && specific.test(r)).toList());
        List<Rate> out = new ArrayList<>();
        kinds.forEach((kind, list) -> {
            for (String path : paths(k)) {
                out.add(new Rate(group, kind, path, (int) list.stream().filter(r -> r.fired().contains(path)).count(), list.size()));
            }
        });
        return out;
    }

    static String markdown(List<Rate> rates, String notes) {
        StringBuilder md = new StringBuilder("\n## Alerts over whole runs\n\n");
        md.append("Every checkpoint of a run audited in order, as the live worker would. A run counts once if the path alerted at"
                + " any checkpoint. Prometheus rules replayed with promtool, a checkpoint every " + MINUTES_PER_CHECKPOINT
                + " minutes. 95 % Wilson intervals.\n\n").append(notes);
        Map<String, Map<String, List<Rate>>> byGroup = new TreeMap<>();
        rates.forEach(r -> byGroup.computeIfAbsent(r.group(), g -> new LinkedHashMap<>()).computeIfAbsent(r.path(),
                p -> new ArrayList<>()).add(r));
        byGroup.forEach((group, byPath) -> {
            List<String> kinds = byPath.values().iterator().next().stream().map(Rate::runs).toList();
            md.append("**").append(group).append("**\n\n| path | ").append(String.join(" | ", kinds)).append(" |\n|---|");
            kinds.forEach(k -> md.append("---|"));
            md.append('\n');
            byPath.forEach((path, rs) -> {
                md.append("| ").append(path);
                rs.forEach(r -> md.append(" | ").append(cell(r)));
                md.append(" |\n");
            });
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
