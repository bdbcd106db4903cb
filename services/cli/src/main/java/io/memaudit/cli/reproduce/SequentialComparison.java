package io.memaudit.cli.reproduce;

import io.memaudit.common.score.Evidence;
import io.memaudit.common.score.MemorisationRule;
import io.memaudit.common.score.SequentialStop;
import io.memaudit.common.score.Verdict;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sequential audit against the fixed-N one on the same checkpoints (label known, the page's path):
 * how many probes it used, whether each checkpoint's evidence was significant under both, and which runs
 * the shipped run rule alerted on under each. Both audits of a checkpoint see the same model, probes and
 * controls; the sequential one only stops early, with the stop its rows record ({@link Scores#stopOf}).
 */
final class SequentialComparison {
    /**
     * @param stop            the sequential audits' stop
     * @param probesUsed      probes per sequential audit, one entry per label audit
     * @param probesPerAudit  N of the study
     * @param controls        K of the study
     * @param agreement       [fixed significant][sequential significant] counts over label-known checkpoints
     * @param twins           clean runs with both kinds of evidence
     * @param canaries        canary runs with both, oracle above the threshold
     */
    record Result(SequentialStop stop, int[] probesUsed, int probesPerAudit, int controls, int[][] agreement, int twins, int twinsFixed, int twinsSequential,
                  int canaries, int canariesFixed, int canariesSequential, int runsDisagreeing) {
        double medianProbes() {
            int[] s = probesUsed.clone();
            Arrays.sort(s);
            return s.length == 0 ? Double.NaN
                    : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
        }

        /** "125 in 170, 250 in 12, ..., 2000 in 10": how many audits stopped at each look. */
        String probeCounts() {
            java.util.TreeMap<Integer, Integer> counts = new java.util.TreeMap<>();
            for (int p : probesUsed) {
                counts.merge(p, 1, Integer::sum);
            }
            return counts.entrySet().stream().map(e -> e.getKey() + " in " + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", "));
        }

        /** Images through the model against the fixed audits': clean, random patch and feature always see all N. */
        double forwardFraction() {
            double controlShare = (double) Arrays.stream(probesUsed).asLongStream().sum() / ((long) probesUsed.length * probesPerAudit);
            return (3 + controls * controlShare) / (3 + controls);
        }
    }

    private SequentialComparison() { }

    /** Null when the study recorded no sequential audits (made by an older memaudit). */
    static Result compute(List<ResultRow> rows, double oracleThreshold) {
        List<ResultRow> probeRows = rows.stream().filter(r -> r.score().equals(Scores.PROBES_SEQUENTIAL)).toList();
        if (probeRows.isEmpty()) {
            return null;
        }
        int[] probes = probeRows.stream().mapToInt(r -> (int) r.value()).toArray();
        SequentialStop stop = Scores.stopOf(probeRows.get(0));
        int n = probeRows.stream().mapToInt(ResultRow::probes).max().orElse(0);
        int k = rows.stream().filter(r -> r.score().equals(Scores.KL_RANK.name())).mapToInt(r -> Integer.parseInt(r.detail()))
                .max().orElse(0);
        Map<String, RunAlerts.LabelRun> sequential = new HashMap<>();
        RunAlerts.labelRuns(rows, Scores.LABEL_RANK_SEQUENTIAL).forEach(r -> sequential.put(r.cell().runId(), r));
        MemorisationRule rule = MemorisationRule.DEFAULT;
        int[][] agreement = new int[2][2];
        int[] runs = new int[7]; // twins, twinsFixed, twinsSeq, canaries, canariesFixed, canariesSeq, disagreeing
        for (RunAlerts.LabelRun fixed : RunAlerts.labelRuns(rows)) {
            RunAlerts.LabelRun seq = sequential.get(fixed.cell().runId());
            if (seq == null || seq.tracks().size() != fixed.tracks().size()) {
                continue;
            }
            boolean alertFixed = false;
            boolean alertSeq = false;
            for (int t = 0; t < fixed.tracks().size(); t++) {
                List<Evidence> f = fixed.tracks().get(t);
                List<Evidence> s = seq.tracks().get(t);
                for (int i = 0; i < f.size(); i++) {
                    agreement[rule.significant(f.get(i)) ? 1 : 0][rule.significant(s.get(i)) ? 1 : 0]++;
                }
                alertFixed |= RunAlerts.verdicts(rule, f).contains(Verdict.MEMORISED);
                alertSeq |= RunAlerts.verdicts(rule, s).contains(Verdict.MEMORISED);
            }
            runs[6] += alertFixed != alertSeq ? 1 : 0;
            if (fixed.cell().isTwin()) {
                runs[0]++;
                runs[1] += alertFixed ? 1 : 0;
                runs[2] += alertSeq ? 1 : 0;
            } else if (fixed.oracle() > oracleThreshold) {
                runs[3]++;
                runs[4] += alertFixed ? 1 : 0;
                runs[5] += alertSeq ? 1 : 0;
            }
        }
        return new Result(stop, probes, n, k, agreement, runs[0], runs[1], runs[2], runs[3], runs[4], runs[5], runs[6]);
    }

    static String markdown(Result r, double oracleThreshold) {
        if (r == null) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Sequential audit against the fixed-N audit (label known)\n\n");
        md.append(String.format(Locale.ROOT, "Each label audit was run twice on the same checkpoint: with all N = %d probes and"
                + " stopping after a block of %d once the evidence could no longer become significant (flip probability"
                + " %.0e; `SequentialStop`): the controls stop there, the clean images, the random patch and the feature"
                + " go on to N. %d sequential audits: the controls' probes median %.0f; %.1f %% of the fixed audits'"
                + " forward passes (K = %d). The controls' probes per audit: %s.%n%n", r.probesPerAudit(), r.stop().block(),
                r.stop().flipProbability(), r.probesUsed().length, r.medianProbes(), 100 * r.forwardFraction(), r.controls(),
                r.probeCounts()));
        md.append("| checkpoints | sequential: not significant | sequential: p ≤ alpha |\n|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| fixed N: not significant | %d | %d |%n", r.agreement()[0][0], r.agreement()[0][1]));
        md.append(String.format(Locale.ROOT, "| fixed N: p ≤ alpha | %d | %d |%n%n", r.agreement()[1][0], r.agreement()[1][1]));
        md.append("| runs (" + MemorisationRule.DEFAULT + ") | fixed N | sequential |\n|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| clean runs alerted | %s | %s |%n",
                RunAlerts.cell(new RunAlerts.Rate("", "", "", r.twinsFixed(), r.twins())),
                RunAlerts.cell(new RunAlerts.Rate("", "", "", r.twinsSequential(), r.twins()))));
        md.append(String.format(Locale.ROOT, "| canary runs with oracle > %.2f found | %s | %s |%n", oracleThreshold,
                RunAlerts.cell(new RunAlerts.Rate("", "", "", r.canariesFixed(), r.canaries())),
                RunAlerts.cell(new RunAlerts.Rate("", "", "", r.canariesSequential(), r.canaries()))));
        md.append(String.format(Locale.ROOT, "%nRuns whose alert differs between the two: %d.%n", r.runsDisagreeing()));
        return md.toString();
    }
}
