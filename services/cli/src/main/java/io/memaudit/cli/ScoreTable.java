package io.memaudit.cli;

import io.memaudit.common.score.MemorisationRule;
import io.memaudit.common.score.Verdict;

import io.memaudit.common.model.Checkpoint;
import io.memaudit.common.scoring.AuditResult;

import java.nio.file.Path;
import java.util.Locale;

/** Aligned text tables of audit results, for people. */
final class ScoreTable {
    static final String RUN_HEADER = String.format(Locale.ROOT, "%5s %8s %8s %10s %8s %7s %10s %8s %6s  %s",
            "epoch", "step", "val_acc", "M_KL", "rank", "z", "M_label", "evidence", "p", "verdict");

    private ScoreTable() { }

    static String single(Path where, Checkpoint ckpt, AuditResult r) {
        StringBuilder b = new StringBuilder();
        line(b, "checkpoint", where + "  (run " + ckpt.runId() + ", epoch " + ckpt.epoch() + ", step " + ckpt.step() + ")");
        line(b, "model", ckpt.spec().toString());
        line(b, "feature", r.featureId() + (r.scores().mLabel() == null ? ", label unknown" : ""));
        line(b, "probes", r.probeSet() + ", N = " + r.scores().n() + "; controls K = " + r.kl().controls());
        b.append('\n');
        b.append(String.format(Locale.ROOT, "  %-22s %12s %9s %9s%n", "score", "value", "rank", "z"));
        b.append(String.format(Locale.ROOT, "  %-22s %12.6f %4d/%-4d %9.2f%n", "M_KL", r.scores().mKl(), r.kl().rank(),
                r.kl().controls() + 1, r.kl().z()));
        if (r.label() != null) {
            b.append(String.format(Locale.ROOT, "  %-22s %12.6f %4d/%-4d %9.2f%n", "M_label", r.scores().mLabel(),
                    r.label().rank(), r.label().controls() + 1, r.label().z()));
        }
        b.append(String.format(Locale.ROOT, "  %-22s %12.6f%n", "max M_prob (class " + r.scores().mProbArgmax() + ")",
                r.scores().mProbMax()));
        b.append('\n');
        line(b, "paired tests", String.format(Locale.ROOT, "t = %.3f, p = %.3g; Wilcoxon p = %.3g",
                r.scores().tStatistic(), r.scores().pValueT(), r.scores().pValueWilcoxon()));
        line(b, "exposure", String.format(Locale.ROOT, "%.2f bits (max %.2f)", r.kl().exposure(),
                Math.log(r.kl().controls() + 1) / Math.log(2)));
        line(b, "evidence", String.format(Locale.ROOT, "%s %d of %d, p = %.3f", r.evidence().statistic().wire(),
                r.evidence().rank(), r.evidence().controls() + 1, r.evidence().p()));
        line(b, "verdict", r.verdict().wire() + verdictNote(r));
        line(b, "time", String.format(Locale.ROOT, "load %.0f ms, probes %.0f ms, forward %.0f ms, total %.0f ms on %s",
                r.loadMillis(), r.probeMillis(), r.forwardMillis(), r.totalMillis(), r.device()));
        return b.toString();
    }

    /** Why a single checkpoint's verdict is what it is, where a reader could not tell. */
    static String verdictNote(AuditResult r) {
        MemorisationRule rule = MemorisationRule.DEFAULT;
        if (r.evidence().controls() < rule.minControls()) {
            return String.format(Locale.ROOT, " (with %d controls p cannot reach %s: use --controls %d or more)",
                    r.evidence().controls(), rule.alpha(), rule.minControls());
        }
        if (r.verdict() == Verdict.INCONCLUSIVE && rule.lookBack() > 0) {
            return " (p <= " + rule.alpha() + " here; memorised needs the same at the run's previous checkpoint: "
                    + "score --all-checkpoints)";
        }
        return "";
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(String.format(Locale.ROOT, "%-13s %s%n", key, value));
    }

    static String runRow(RunScoring.Row row) {
        var s = row.score();
        return String.format(Locale.ROOT, "%5d %8d %8s %10.5f %3d/%-4d %7.2f %10s %8s %6.3f  %s", s.epoch(), s.step(),
                row.valAccuracy() == null ? "-" : String.format(Locale.ROOT, "%.4f", row.valAccuracy()), s.mKl(),
                s.controlRank(), s.controls() + 1, s.z(),
                s.mLabel() == null ? "-" : String.format(Locale.ROOT, "%.5f", s.mLabel()),
                s.evidenceRank() == null ? "-" : ("label-rank".equals(s.evidence()) ? "label " : "kl ") + s.evidenceRank(),
                s.evidenceP() == null ? Double.NaN : s.evidenceP(), s.verdict());
    }
}
