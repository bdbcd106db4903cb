package io.memaudit.common.score;

/**
 * Kullback-Leibler divergence between discrete output distributions, as the method defines it:
 * {@code KL(a‖b) = Σ_k a_k log(a_k / b_k)} (natural log) with BOTH probabilities clipped to
 * {@code [1e-7, 1]} first, so a zero in either vector contributes a finite term instead of NaN or
 * infinity. The clipped vectors are not renormalised (as in the authors' code).
 */
public final class Divergences {
    /** Lower clip applied to every probability before a log is taken. */
    public static final double CLIP_MIN = 1e-7;

    private Divergences() {
    }

    /** Clips a probability to {@code [CLIP_MIN, 1]}. */
    public static double clip(double probability) {
        return Math.min(1.0, Math.max(CLIP_MIN, probability));
    }

    /** Natural log of a clipped probability; the log-probability used by M_label. */
    public static double clippedLog(double probability) {
        return Math.log(clip(probability));
    }

    /** KL(a‖b) of two distributions over the same classes. */
    public static double kl(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("kl: vectors differ in length: " + a.length + " vs " + b.length);
        }
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += term(a[k], b[k]);
        }
        return sum;
    }

    /** Per-image KL(p_i‖q_i) for row-aligned matrices (one row per image). */
    public static double[] klPerImage(double[][] p, double[][] q) {
        requireSameRows("klPerImage", p.length, q.length);
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            if (p[i].length != q[i].length) {
                throw new IllegalArgumentException("klPerImage: row " + i + " differs in length: "
                        + p[i].length + " vs " + q[i].length);
            }
            out[i] = kl(p[i], q[i]);
        }
        return out;
    }

    /**
     * KL of row {@code row} of two row-major {@code n×k} float matrices, accumulated in double.
     */
    public static double kl(float[] a, float[] b, int row, int k) {
        int base = row * k;
        double sum = 0;
        for (int c = base; c < base + k; c++) {
            sum += term(a[c], b[c]);
        }
        return sum;
    }

    /** Per-image KL for row-major flat {@code n×k} float matrices, as a model's output arrives. */
    public static double[] klPerImage(float[] p, float[] q, int n, int k) {
        requireShape("klPerImage p", p, n, k);
        requireShape("klPerImage q", q, n, k);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = kl(p, q, i, k);
        }
        return out;
    }

    static void requireShape(String what, float[] flat, int n, int k) {
        if (n < 0 || k <= 0 || (long) n * k != flat.length) {
            throw new IllegalArgumentException(what + ": " + flat.length + " values do not form a "
                    + n + "×" + k + " matrix");
        }
    }

    static void requireSameRows(String what, int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException(what + ": row counts differ: " + a + " vs " + b);
        }
    }

    private static double term(double a, double b) {
        double ca = clip(a);
        return ca * Math.log(ca / clip(b));
    }
}
