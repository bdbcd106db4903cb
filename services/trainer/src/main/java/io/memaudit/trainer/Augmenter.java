package io.memaudit.trainer;

import java.util.SplittableRandom;

/**
 * The paper's augmentation (docs/METHOD.md, "The paper's experimental set-up"): contrast ±0.2 around
 * the image mean, a random crop one pixel smaller resized back with bilinear interpolation, and for
 * CNNs a horizontal flip. Works on [0,1] CHW images in place, before normalisation.
 */
final class Augmenter {
    private final boolean flip;
    private final float[] scratch;
    private final int c;
    private final int h;
    private final int w;

    Augmenter(int c, int h, int w, boolean flip) {
        this.c = c;
        this.h = h;
        this.w = w;
        this.flip = flip;
        this.scratch = new float[c * h * w];
    }

    void apply(float[] img, int offset, SplittableRandom rng) {
        contrast(img, offset, 0.8f + 0.4f * (float) rng.nextDouble());
        cropResize(img, offset, rng.nextInt(2), rng.nextInt(2));
        if (flip && rng.nextBoolean()) {
            flipHorizontal(img, offset);
        }
    }

    private void contrast(float[] img, int offset, float factor) {
        int n = c * h * w;
        double mean = 0;
        for (int k = offset; k < offset + n; k++) {
            mean += img[k];
        }
        float m = (float) (mean / n);
        for (int k = offset; k < offset + n; k++) {
            img[k] = Math.min(1f, Math.max(0f, (img[k] - m) * factor + m));
        }
    }

    /** Crops (h-1)×(w-1) at (dy,dx) and resizes back to h×w (bilinear, half-pixel centres). */
    private void cropResize(float[] img, int offset, int dy, int dx) {
        int ch = h - 1;
        int cw = w - 1;
        System.arraycopy(img, offset, scratch, 0, scratch.length);
        for (int p = 0; p < c; p++) {
            int base = p * h * w;
            for (int y = 0; y < h; y++) {
                float sy = clamp((y + 0.5f) * ch / h - 0.5f, ch - 1);
                int y0 = (int) sy;
                int y1 = Math.min(y0 + 1, ch - 1);
                float fy = sy - y0;
                for (int x = 0; x < w; x++) {
                    float sx = clamp((x + 0.5f) * cw / w - 0.5f, cw - 1);
                    int x0 = (int) sx;
                    int x1 = Math.min(x0 + 1, cw - 1);
                    float fx = sx - x0;
                    float top = at(base, y0 + dy, x0 + dx) * (1 - fx) + at(base, y0 + dy, x1 + dx) * fx;
                    float bottom = at(base, y1 + dy, x0 + dx) * (1 - fx) + at(base, y1 + dy, x1 + dx) * fx;
                    img[offset + base + y * w + x] = top * (1 - fy) + bottom * fy;
                }
            }
        }
    }

    private float at(int base, int y, int x) { return scratch[base + y * w + x]; }

    private static float clamp(float v, int max) { return Math.max(0f, Math.min(v, max)); }

    private void flipHorizontal(float[] img, int offset) {
        for (int p = 0; p < c; p++) {
            for (int y = 0; y < h; y++) {
                int row = offset + p * h * w + y * w;
                for (int x = 0; x < w / 2; x++) {
                    float t = img[row + x];
                    img[row + x] = img[row + w - 1 - x];
                    img[row + w - 1 - x] = t;
                }
            }
        }
    }
}
