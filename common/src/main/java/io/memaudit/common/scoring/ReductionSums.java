package io.memaudit.common.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The per-image reductions of an audit's variants as they arrive, block by block of probes: KL(p_i‖q_i)
 * and log q_i[y] per image, and the running sum of q_i − p_i per class. Index 0 is the random-patch
 * control, 1 the audited feature, 2.. its controls (the order of {@link ProbeInputs}).
 */
final class ReductionSums {
    private final double[][] kl;
    private final double[][] logQy;
    private double[][] deltaSum;

    ReductionSums(int variants, int probes, boolean label) {
        kl = new double[variants][probes];
        logQy = label ? new double[variants][probes] : null;
    }

    /**
     * One group of variants for probes [from, to): {@code kl} and {@code logQy} hold (G, to − from) values
     * row by row, {@code deltaSum} (G, C).
     */
    void add(int firstVariant, int count, int from, int to, double[] klRows, double[] logQyRows, double[] deltaRows) {
        int n = to - from;
        int classes = deltaRows.length / count;
        if (deltaSum == null) {
            deltaSum = new double[kl.length][classes];
        }
        for (int g = 0; g < count; g++) {
            int v = firstVariant + g;
            System.arraycopy(klRows, g * n, kl[v], from, n);
            if (logQy != null) {
                System.arraycopy(logQyRows, g * n, logQy[v], from, n);
            }
            for (int c = 0; c < classes; c++) {
                deltaSum[v][c] += deltaRows[g * classes + c];
            }
        }
    }

    /** The statistic the evidence ranks, per image, for variant v: log q[y] when the label is known, else the KL. */
    double[] statistic(int v) {
        return logQy != null ? logQy[v] : kl[v];
    }

    /** {@link #statistic} of every control feature (variants 2..). */
    double[][] controlStatistics() {
        double[][] out = new double[kl.length - 2][];
        for (int v = 2; v < kl.length; v++) {
            out[v - 2] = statistic(v);
        }
        return out;
    }

    /**
     * Every variant's reductions: the random patch's and the feature's (0, 1) over all {@code probes},
     * the controls' over the first {@code controlProbes}.
     */
    List<OutputReductions.Variant> variants(int controlProbes, int probes) {
        List<OutputReductions.Variant> out = new ArrayList<>(kl.length);
        for (int v = 0; v < kl.length; v++) {
            int seen = v < 2 ? probes : controlProbes;
            double[] meanDelta = deltaSum[v].clone();
            for (int c = 0; c < meanDelta.length; c++) {
                meanDelta[c] /= seen;
            }
            out.add(new OutputReductions.Variant(Arrays.copyOf(kl[v], seen),
                    logQy == null ? null : Arrays.copyOf(logQy[v], seen), meanDelta));
        }
        return out;
    }
}
