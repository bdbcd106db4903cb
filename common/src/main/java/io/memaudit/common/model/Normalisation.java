package io.memaudit.common.model;

import java.util.Arrays;

/**
 * Per-channel mean/std normalisation, applied to [0,1] images AFTER any unique feature or control
 * patch has been written into them. This is the one normalisation path for training, probes and
 * scoring (the authors' 2022 code forgot it for probes; docs/METHOD.md, "What differs from the paper,
 * and why").
 */
public record Normalisation(float[] mean, float[] std) {

    public static final Normalisation MNIST = new Normalisation(new float[] {0.1307f}, new float[] {0.3081f});
    public static final Normalisation FASHION_MNIST = new Normalisation(new float[] {0.2860f}, new float[] {0.3530f});
    public static final Normalisation CIFAR10 = new Normalisation(
            new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f});

    public Normalisation {
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalisation: mean and std must be non-empty and of equal length, got "
                    + Arrays.toString(mean) + " / " + Arrays.toString(std));
        }
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("normalisation: std must be positive and finite, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The normalisation used for a named data set ("mnist", "fashion-mnist", "cifar10"). */
    public static Normalisation forDataset(String dataset) {
        return switch (dataset) {
            case "mnist" -> MNIST;
            case "fashion-mnist" -> FASHION_MNIST;
            case "cifar10" -> CIFAR10;
            default -> throw new IllegalArgumentException("no normalisation known for data set '" + dataset
                    + "' (known: mnist, fashion-mnist, cifar10)");
        };
    }

    public int channels() { return mean.length; }

    /** Normalises {@code c*h*w} values of a CHW image in place, starting at {@code offset}. */
    public void applyInPlace(float[] chw, int offset, int c, int h, int w) {
        if (c != mean.length) {
            throw new IllegalArgumentException("normalisation has " + mean.length + " channels, image has " + c);
        }
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            float m = mean[ch];
            float s = std[ch];
            int start = offset + ch * plane;
            for (int k = start; k < start + plane; k++) {
                chw[k] = (chw[k] - m) / s;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalisation n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() { return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std); }

    @Override
    public String toString() { return "mean=" + Arrays.toString(mean) + " std=" + Arrays.toString(std); }
}
