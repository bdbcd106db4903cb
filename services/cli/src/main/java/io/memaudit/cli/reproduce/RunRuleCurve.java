package io.memaudit.cli.reproduce;

import io.memaudit.cli.report.LinePlot;
import io.memaudit.common.score.MemorisationRule;
import io.memaudit.common.score.Verdict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the run-level rule trades: for the label-known verdict with each alpha and number of
 * confirmations, the share of clean runs (twins) that would page and of canary runs that the oracle
 * calls memorised that would be found. The shipped rule is one point of this curve; the others are what
 * a different choice would have cost, on the same runs.
 */
final class RunRuleCurve {
    static final double[] ALPHAS = {0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2};
    static final int[] CONFIRMATIONS = {1, 2, 3};

    /** One rule on one set of runs. */
    record Point(int confirmations, double alpha, int twinsAlerted, int twins, int canariesAlerted, int canaries,
                 int twinAuditsMemorised, int twinAudits) {
        double falseAlarm() { return twins == 0 ? Double.NaN : (double) twinsAlerted / twins; }
        double detection() { return canaries == 0 ? Double.NaN : (double) canariesAlerted / canaries; }
    }

    private RunRuleCurve() { }

    static List<Point> compute(List<ResultRow> rows, double oracleThreshold) {
        List<RunAlerts.LabelRun> runs = RunAlerts.labelRuns(rows);
        List<Point> out = new ArrayList<>();
        for (int m : CONFIRMATIONS) {
            for (double alpha : ALPHAS) {
                MemorisationRule rule = new MemorisationRule(alpha, m);
                int twins = 0;
                int twinsAlerted = 0;
                int canaries = 0;
                int canariesAlerted = 0;
                int audits = 0;
                int memorised = 0;
                for (RunAlerts.LabelRun r : runs) {
                    boolean twin = r.cell().isTwin();
                    if (!twin && !(r.oracle() > oracleThreshold)) {
                        continue;
                    }
                    boolean alerted = false;
                    for (var track : r.tracks()) {
                        List<Verdict> v = RunAlerts.verdicts(rule, track);
                        long n = v.stream().filter(x -> x == Verdict.MEMORISED).count();
                        alerted |= n > 0;
                        if (twin) {
                            audits += v.size();
                            memorised += (int) n;
                        }
                    }
                    if (twin) {
                        twins++;
                        twinsAlerted += alerted ? 1 : 0;
                    } else {
                        canaries++;
                        canariesAlerted += alerted ? 1 : 0;
                    }
                }
                out.add(new Point(m, alpha, twinsAlerted, twins, canariesAlerted, canaries, memorised, audits));
            }
        }
        return out;
    }

    static String markdown(List<Point> points, double oracleThreshold) {
        StringBuilder md = new StringBuilder("\n## What other run rules would cost (label known)\n\n");
        md.append("The verdict with the label known, for other alphas and numbers of consecutive checkpoints, on the same runs"
                + " (shipped: " + MemorisationRule.DEFAULT + "). Clean runs alerted, canary runs with oracle > "
                + String.format(Locale.ROOT, "%.2f", oracleThreshold) + " found, and clean checkpoints memorised."
                + " Plot: plots/run-rule-curve.png.\n\n");
        md.append("| consecutive checkpoints | alpha | clean runs alerted | canary runs found | clean checkpoints memorised |\n"
                + "|---|---|---|---|---|\n");
        for (Point p : points) {
            md.append(String.format(Locale.ROOT, "| %d | %.3f | %s | %s | %s |%n", p.confirmations(), p.alpha(),
                    RunAlerts.cell(new RunAlerts.Rate("", "", "", p.twinsAlerted(), p.twins())),
                    RunAlerts.cell(new RunAlerts.Rate("", "", "", p.canariesAlerted(), p.canaries())),
                    RunAlerts.cell(new RunAlerts.Rate("", "", "", p.twinAuditsMemorised(), p.twinAudits()))));
        }
        return md.toString();
    }

    /** Detection against false alarm, one line per number of confirmations through the alphas (growing to the right). */
    static void plot(List<Point> points, Path png) throws IOException {
        LinePlot.Builder b = LinePlot.builder()
                .title("Run rules with the label known: false alarms vs detection")
                .xLabel("clean runs with an alert (per-run false alarm)")
                .yLabel("canary runs found (oracle: memorised)")
                .threshold(0.8, "target: 80 % found");
        boolean any = false;
        for (int m : CONFIRMATIONS) {
            List<Point> line = points.stream().filter(p -> p.confirmations() == m
                    && Double.isFinite(p.falseAlarm()) && Double.isFinite(p.detection())).toList();
            if (line.isEmpty()) {
                continue;
            }
            String name = m == 1 ? "p <= alpha at any checkpoint" : "p <= alpha at " + m + " consecutive checkpoints";
            // alpha grows along the line; points with the same false-alarm rate keep their order
            double[] x = line.stream().mapToDouble(Point::falseAlarm).toArray();
            double[] y = line.stream().mapToDouble(Point::detection).toArray();
            b.series(name, x, y);
            any = true;
        }
        points.stream().filter(p -> p.confirmations() == MemorisationRule.DEFAULT.confirmations()
                        && p.alpha() == MemorisationRule.DEFAULT.alpha() && Double.isFinite(p.falseAlarm()) && Double.isFinite(p.detection()))
                .findFirst().ifPresent(p -> b.series("shipped: " + MemorisationRule.DEFAULT,
                        new double[] {p.falseAlarm()}, new double[] {p.detection()}));
        if (any) {
            b.build().writePng(png, 800, 450);
        }
    }
}
