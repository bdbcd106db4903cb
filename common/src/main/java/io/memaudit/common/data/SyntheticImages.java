package io.memaudit.common.data;

import java.util.SplittableRandom;

/**
 * Small generated labelled image sets for tests and smoke runs that must not need the real data sets:
 * class k is a bright 6×6 square at a class-specific place on a noisy dark background, so a model can
 * learn it in a few hundred steps.
 */
public final class SyntheticImages {
    private SyntheticImages() { }

    public static ImageSet generate(String name, int n, int channels, int h, int w, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[][] px = new byte[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int label = i % classes;
            labels[i] = label;
            px[i] = image(rng, label, classes, channels, h, w);
        }
        return new ImageSet(name, channels, h, w, px, labels);
    }

    private static byte[] image(SplittableRandom rng, int label, int classes, int c, int h, int w) {
        byte[] img = new byte[c * h * w];
        int cols = (int) Math.ceil(Math.sqrt(classes));
        int y0 = 8 + (label / cols) * Math.max(1, (h - 14) / cols);
        int x0 = 8 + (label % cols) * Math.max(1, (w - 14) / cols);
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean on = y >= y0 && y < y0 + 6 && x >= x0 && x < x0 + 6;
                    int v = on ? 200 + rng.nextInt(56) : rng.nextInt(60);
                    img[ch * h * w + y * w + x] = (byte) v;
                }
            }
        }
        return img;
    }
}
