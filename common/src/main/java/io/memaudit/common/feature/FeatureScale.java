package io.memaudit.common.feature;

/**
 * Integer upsampling of glyph and text features for models with large inputs: a 5×5 glyph is 3 % of
 * a 28×28 image but 0.05 % of a 224×224 one. Every feature pixel becomes a k×k block; an explicit
 * position stays where it is (in the model's pixels); the default text position (bottom left) is
 * recomputed for the scaled size. Controls and the random patch are scaled the same way, so the
 * comparison stays like for like.
 */
public final class FeatureScale {
    /** Largest scale accepted. */
    public static final int MAX = 64;
    /** The input side for which scale 1 is the default (the paper's 28×28 images). */
    public static final int BASE_SIDE = 28;

    private FeatureScale() { }

    /**
     * The default scale: max(1, ⌊min(H, W) / 28⌋) for glyph and text features — 1 for 28×28 and 32×32,
     * 8 for 224×224, so the feature covers about the same fraction of the image — and 1 for image
     * features, whose patch has its own size.
     */
    public static int defaultFor(FeatureKind kind, int imageH, int imageW) {
        return kind == FeatureKind.IMAGE ? 1 : Math.max(1, Math.min(imageH, imageW) / BASE_SIDE);
    }

    /**
     * {@code f} upsampled by {@code k}; the same feature when k is 1.
     *
     * @param explicitPosition whether the feature's spec named its position (else the default is recomputed)
     */
    public static UniqueFeature apply(UniqueFeature f, int k, int imageH, boolean explicitPosition) {
        if (k == 1) {
            return f;
        }
        if (k < 1 || k > MAX) {
            throw new IllegalArgumentException("feature " + f.id() + ": scale " + k + " must be 1.." + MAX);
        }
        if (f.kind() == FeatureKind.IMAGE) {
            throw new IllegalArgumentException("feature " + f.id() + ": scale applies to glyph and text features only");
        }
        int h = f.height();
        int w = f.width();
        boolean[][] small = f.mask();
        boolean[][] mask = new boolean[h * k][w * k];
        for (int r = 0; r < h * k; r++) {
            for (int c = 0; c < w * k; c++) {
                mask[r][c] = small[r / k][c / k];
            }
        }
        float[][] pattern = upsample(f.pattern(), k);
        boolean textDefault = f.kind() == FeatureKind.TEXT && !explicitPosition;
        int row = textDefault ? Math.max(0, imageH - h * k - 1) : f.row();
        return new UniqueFeature(f.spec(), pattern, mask, row, f.col());
    }

    /** Upsamples a pattern (e.g. a random patch) the same way. */
    public static float[][] upsample(float[][] p, int k) {
        if (k == 1) {
            return p;
        }
        float[][] out = new float[p.length * k][p[0].length * k];
        for (int r = 0; r < out.length; r++) {
            for (int c = 0; c < out[0].length; c++) {
                out[r][c] = p[r / k][c / k];
            }
        }
        return out;
    }
}
