package io.memaudit.cli.reproduce;

import io.memaudit.common.feature.ControlFeatures;
import io.memaudit.common.score.CalibratedScore;
import io.memaudit.common.score.Calibration;
import io.memaudit.common.score.FeatureScores;
import io.memaudit.common.score.SequentialStop;
import io.memaudit.common.score.Verdict;
import io.memaudit.common.score.VerdictRule;
import io.memaudit.common.scoring.AuditResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The score names of the CSV and how an audit becomes rows. Black-box scores are oriented so that
 * higher = "more memorised" when the report computes an AUC ({@link Score#sign}).
 */
public final class Scores {
    public static final String WALL_SECONDS = "wall_seconds";
    public static final String TRAIN_SECONDS = "train_seconds";
    public static final String TEST_ACCURACY = "test_accuracy";
    public static final String EPOCHS_TRAINED = "epochs_trained";
    public static final String ORACLE = "oracle";
    /** The oracle at the last checkpoint trained: what early stopping changed. */
    public static final String ORACLE_LAST = "oracle_last";
    /**
     * The feature-specific oracle (nats): log p(y | x ⊕ u) minus the best of the control glyphs at u's
     * place, mean over the canaries; see {@link WhiteBox#oracles}.
     */
    public static final String ORACLE_SPECIFIC = "oracle_specific";
    public static final String ORACLE_SPECIFIC_LAST = "oracle_specific_last";
    public static final String VERDICT = "verdict";
    /** With --controls above 25: the M_KL rank and the per-checkpoint verdict among the first 25 controls (what memaudit 0.1 reported). */
    public static final String KL_RANK_DEFAULT = "kl_rank_default";
    public static final String VERDICT_DEFAULT = "verdict_default";
    /** The label-known rank and the probes it took when the same audit stops early ({@link io.memaudit.common.score.SequentialStop}). */
    public static final String LABEL_RANK_SEQUENTIAL = "label_rank_seq";
    public static final String PROBES_SEQUENTIAL = "probes_seq";
    /** A black-box score the report evaluates: CSV name, label shown, whether it needs the label, and sign. */
    public record Score(String name, String title, boolean labelKnown, double sign) { }

    public static final Score M_KL = new Score("m_kl", "M_KL", false, 1);
    public static final Score KL_RANK = new Score("kl_rank", "control rank (M_KL)", false, -1);
    public static final Score KL_Z = new Score("kl_z", "z (M_KL)", false, 1);
    public static final Score M_PROB_MAX = new Score("m_prob_max", "max M_prob", false, 1);
    public static final Score M_LABEL = new Score("m_label", "M_label", true, 1);
    public static final Score LABEL_RANK = new Score("label_rank", "control rank (M_label)", true, -1);
    public static final Score LABEL_Z = new Score("label_z", "z (M_label)", true, 1);
    /** The scores every summary table reports, in order. */
    public static final List<Score> REPORTED = List.of(M_KL, M_LABEL, M_PROB_MAX, KL_RANK, KL_Z, LABEL_RANK, LABEL_Z);

    private Scores() { }

    /** Rows of the label-free scores of one audit. */
    static List<ResultRow> labelFree(RowContext c, AuditResult r) {
        FeatureScores s = r.scores();
        CalibratedScore kl = r.kl();
        List<ResultRow> rows = new ArrayList<>();
        rows.add(c.row(M_KL.name(), s.mKl(), ""));
        rows.add(c.row(KL_RANK.name(), kl.rank(), Integer.toString(kl.controls())));
        rows.add(c.row("kl_exposure", kl.exposure(), ""));
        rows.add(c.row(KL_Z.name(), kl.z(), ""));
        rows.add(c.row(M_PROB_MAX.name(), s.mProbMax(), "class " + s.mProbArgmax()));
        rows.add(c.row("p_value_t", s.pValueT(), ""));
        rows.add(c.row("p_value_wilcoxon", s.pValueWilcoxon(), ""));
        rows.add(c.row(VERDICT, r.verdict() == Verdict.MEMORISED ? 1 : 0, r.verdict().wire()));
        return rows;
    }

    /**
     * The same audit as memaudit 0.1 scored it (the "before" of docs/REPRODUCTION.md): its 25 controls
     * are the first 25 of a larger K (ControlFeatures), and probes and random patch do not depend on K,
     * so the M_KL rank among them and the per-checkpoint {@link VerdictRule} are what that worker reported.
     */
    static AuditResult withDefaultControls(AuditResult r) {
        int k = ControlFeatures.LEGACY_K;
        if (r.kl().controls() <= k) {
            return r;
        }
        CalibratedScore kl = Calibration.calibrate(r.scores().mKl(),
                Arrays.copyOf(r.controlMKl(), k));
        Verdict v = VerdictRule.DEFAULT.decide(kl, r.scores());
        return new AuditResult(r.runId(), r.epoch(), r.step(), r.featureId(), r.probeSet(), r.scores(), kl, r.label(), r.evidence(), v,
                r.controlIds().subList(0, k), Arrays.copyOf(r.controlMKl(), k), r.controlProbes(), r.modelSha256(), r.device(),
                r.loadMillis(), r.probeMillis(), r.forwardMillis(), r.totalMillis());
    }

    /**
     * Rows of the default-K view {@code d} ({@link #withDefaultControls}) of an audit {@code r} with more
     * controls: kl_rank_default and verdict_default; none when {@code r} had the default K.
     */
    static List<ResultRow> defaultControlsView(RowContext c, AuditResult r, AuditResult d) {
        if (d == r) {
            return List.of();
        }
        return List.of(c.row(KL_RANK_DEFAULT, d.kl().rank(), Integer.toString(d.kl().controls())),
                c.row(VERDICT_DEFAULT, d.verdict() == Verdict.MEMORISED ? 1 : 0, d.verdict().wire()));
    }

    /** Rows of the label scores of one audit, for the canary set {@code c.canarySet()}. */
    static List<ResultRow> labelKnown(RowContext c, AuditResult r, int label) {
        CalibratedScore l = r.label();
        String detail = "label " + label;
        return List.of(c.row(M_LABEL.name(), r.scores().mLabel(), detail),
                c.row(LABEL_RANK.name(), l.rank(), detail),
                c.row(LABEL_Z.name(), l.z(), detail));
    }

    /**
     * Rows of the sequential audit of the same checkpoint and label: its rank and the probes it used; the
     * probes' row names the stop it ran with ({@link #stopOf}), so a report rewritten by a later memaudit
     * with another default still says which stop the study measured.
     */
    static List<ResultRow> sequential(RowContext c, AuditResult r, int label, SequentialStop stop) {
        return List.of(c.row(LABEL_RANK_SEQUENTIAL, r.label().rank(), "label " + label),
                c.row(PROBES_SEQUENTIAL, r.controlProbes(), probesDetail(label, stop)));
    }

    private static final String STOP_PREFIX = "; stop ";
    /** What studies ran before the rows recorded their stop: blocks of 250, flip probability 0.001. */
    static final SequentialStop STOP_BEFORE_RECORDED = new SequentialStop(250, 1e-3);

    /** The detail of a {@link #PROBES_SEQUENTIAL} row: "label 3; stop 125/0.001". */
    static String probesDetail(int label, SequentialStop stop) {
        return "label " + label + STOP_PREFIX + stop.block() + "/" + stop.flipProbability();
    }

    /** The stop a {@link #PROBES_SEQUENTIAL} row was measured with; studies before it was recorded ran blocks of 250. */
    static SequentialStop stopOf(ResultRow probesRow) {
        String d = probesRow.detail();
        int at = d.indexOf(STOP_PREFIX);
        if (at < 0) {
            return STOP_BEFORE_RECORDED;
        }
        String[] parts = d.substring(at + STOP_PREFIX.length()).split("/");
        return new SequentialStop(Integer.parseInt(parts[0]), Double.parseDouble(parts[1]));
    }

    /** What every row of one checkpoint shares. */
    record RowContext(GridCell cell, String canarySet, int epoch, int bestEpoch, double valLoss, double valAccuracy,
                      StudySettings settings) {
        ResultRow row(String score, double value, String detail) {
            return new ResultRow(cell, canarySet, epoch, bestEpoch, valLoss, valAccuracy, settings.epochs(),
                    settings.probes(), settings.trainLimit(), score, value, detail);
        }

        RowContext forSet(String set) {
            return new RowContext(cell, set, epoch, bestEpoch, valLoss, valAccuracy, settings);
        }
    }
}
