package io.memaudit.common.feature;

import java.util.SplittableRandom;

/**
 * Random control patches: Bernoulli(0.5) binary patterns (0 = black, 1 = white) of a feature's
 * h×w shape, one per probe image, from a fixed seed so every checkpoint of a run sees the same
 * patterns.
 *
 * <p>Derivation: {@code root = new SplittableRandom(seed)}; pattern i is drawn from the (i+1)-th
 * {@code root.split()}, row by row, one {@code nextBoolean()} per pixel. Pattern i therefore depends
 * only on (seed, i, h, w): it is the same whatever {@code count} is asked for.
 */
public final class RandomPatches {
    /** The default seed (the date of arXiv 2202.08099). */
    public static final long DEFAULT_SEED = 20220217L;

    private RandomPatches() {
    }

    /** Patterns 0..count-1 of shape h×w; {@code result[i][r][c]} is 0 or 1. */
    public static float[][][] generate(int count, int h, int w, long seed) {
        checkShape(count, h, w);
        SplittableRandom root = new SplittableRandom(seed);
        float[][][] out = new float[count][][];
        for (int i = 0; i < count; i++) {
            out[i] = draw(root.split(), h, w);
        }
        return out;
    }

    /** Patterns for a feature's shape. */
    public static float[][][] generate(int count, UniqueFeature uf, long seed) {
        return generate(count, uf.height(), uf.width(), seed);
    }

    /** Pattern {@code index} alone: equal to {@code generate(n, h, w, seed)[index]} for any n &gt; index. */
    public static float[][] patch(int index, int h, int w, long seed) {
        checkShape(index + 1, h, w);
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom child = root.split();
        for (int i = 0; i < index; i++) {
            child = root.split();
        }
        return draw(child, h, w);
    }

    private static float[][] draw(SplittableRandom random, int h, int w) {
        float[][] p = new float[h][w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                p[r][c] = random.nextBoolean() ? 1f : 0f;
            }
        }
        return p;
    }

    private static void checkShape(int count, int h, int w) {
        if (count < 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException("random patches: need count >= 0 and a positive shape, got count "
                    + count + ", " + h + "x" + w);
        }
    }
}
