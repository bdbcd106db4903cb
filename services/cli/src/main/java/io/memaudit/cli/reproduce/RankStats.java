package io.memaudit.cli.reproduce;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The rank statistics of the study, in plain Java: AUC (Mann–Whitney, ties count one half), Spearman
 * correlation with average ranks, and ROC points. NaN inputs are rejected; an undefined result (an empty
 * class, a constant sample) is NaN, never an exception, so a summary table can say "n/a".
 */
public final class RankStats {
    private RankStats() { }

    /** One point of an ROC curve: false- and true-positive rate at one threshold. */
    public record RocPoint(double fpr, double tpr) { }

    /**
     * P(score of a random positive &gt; score of a random negative) + ½ P(equal): the Mann–Whitney U of
     * the positives divided by n₊·n₋. NaN when either sample is empty.
     */
    public static double auc(double[] positives, double[] negatives) {
        requireFinite(positives, "positives");
        requireFinite(negatives, "negatives");
        if (positives.length == 0 || negatives.length == 0) {
            return Double.NaN;
        }
        double[] all = concat(positives, negatives);
        double[] ranks = averageRanks(all);
        double rankSum = 0;
        for (int i = 0; i < positives.length; i++) {
            rankSum += ranks[i];
        }
        double n1 = positives.length;
        double u = rankSum - n1 * (n1 + 1) / 2;
        return u / (n1 * negatives.length);
    }

    /** Spearman's rho: Pearson correlation of average ranks. NaN with fewer than 2 pairs or a constant sample. */
    public static double spearman(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("spearman needs pairs: " + x.length + " x values, " + y.length + " y values");
        }
        requireFinite(x, "x");
        requireFinite(y, "y");
        if (x.length < 2) {
            return Double.NaN;
        }
        return pearson(averageRanks(x), averageRanks(y));
    }

    /** Ranks 1..n in ascending order; tied values share the mean of the ranks they span. */
    public static double[] averageRanks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
        double[] ranks = new double[v.length];
        int i = 0;
        while (i < v.length) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = mean;
            }
            i = j + 1;
        }
        return ranks;
    }

    /**
     * The ROC curve "score ≥ t ⇒ positive" over every distinct threshold t, from (0,0) to (1,1); tied
     * scores move both rates at once (a diagonal step), so the trapezoid area equals {@link #auc}.
     */
    public static List<RocPoint> roc(double[] positives, double[] negatives) {
        requireFinite(positives, "positives");
        requireFinite(negatives, "negatives");
        List<RocPoint> points = new ArrayList<>();
        points.add(new RocPoint(0, 0));
        if (positives.length == 0 || negatives.length == 0) {
            return points;
        }
        double[] thresholds = Arrays.stream(concat(positives, negatives)).distinct().sorted().toArray();
        for (int t = thresholds.length - 1; t >= 0; t--) {
            points.add(new RocPoint(fractionAtLeast(negatives, thresholds[t]), fractionAtLeast(positives, thresholds[t])));
        }
        return points;
    }

    /** Area under the piecewise-linear curve through the points (trapezoids). */
    public static double trapezoidArea(List<RocPoint> points) {
        double area = 0;
        for (int i = 1; i < points.size(); i++) {
            RocPoint a = points.get(i - 1);
            RocPoint b = points.get(i);
            area += (b.fpr() - a.fpr()) * (a.tpr() + b.tpr()) / 2;
        }
        return area;
    }

    public static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).sum() / v.length;
    }

    /** Sample standard deviation (n − 1); NaN with fewer than 2 values. */
    public static double sd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (v.length - 1));
    }

    private static double pearson(double[] a, double[] b) {
        double ma = mean(a);
        double mb = mean(b);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    private static double fractionAtLeast(double[] v, double t) {
        int n = 0;
        for (double x : v) {
            if (x >= t) {
                n++;
            }
        }
        return n / (double) v.length;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void requireFinite(double[] v, String what) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(what + "[" + i + "] is not finite: " + v[i]);
            }
        }
    }
}
