package io.memaudit.common.feature;

import java.util.Arrays;
import java.util.Objects;

/**
 * A unique feature (UF): an h×w pattern of values in [0,1] (1 = white), a mask saying which of its
 * pixels are written, and the top-left position where it goes in an image. Immutable.
 *
 * <p>Inserting a feature OVERWRITES the image pixels under the mask with the pattern value on every
 * channel (x ⊕ u in docs/METHOD.md, "Inserting a feature"). It works on [0,1] images, before
 * normalisation, so training, probes and scoring share one normalisation path.
 *
 * <p>The {@link #spec()} is the description that rebuilds the feature (glyph letter; text, font and
 * size; image and mask file) and {@link #toSpecString()} its string form for JSON metadata.
 */
public final class UniqueFeature {
    private final FeatureSpec spec;
    private final float[][] pattern;
    private final boolean[][] mask;
    private final int row;
    private final int col;

    /**
     * @param spec    how the feature was made (its position is replaced by {@code row, col})
     * @param pattern h×w values in [0,1], 1 = white; copied
     * @param mask    h×w, true = the pixel is written; copied
     * @param row     top row of the feature in the image, ≥ 0
     * @param col     left column of the feature in the image, ≥ 0
     */
    public UniqueFeature(FeatureSpec spec, float[][] pattern, boolean[][] mask, int row, int col) {
        this.spec = Objects.requireNonNull(spec, "spec").withPosition(row, col);
        String what = "feature " + spec.id();
        Patterns.checkShape(pattern, mask, what);
        Patterns.checkUnitRange(pattern, what);
        if (row < 0 || col < 0) {
            throw new IllegalArgumentException(what + ": position (" + row + "," + col + ") must not be negative");
        }
        this.pattern = Patterns.copy(pattern);
        this.mask = Patterns.copy(mask);
        this.row = row;
        this.col = col;
    }

    /** A short stable name, e.g. {@code glyph:A} or {@code text:JANE DOE}. */
    public String id() { return spec.id(); }
    public FeatureKind kind() { return spec.kind(); }
    /** The description that rebuilds this feature, including its position. */
    public FeatureSpec spec() { return spec; }
    /** {@link #spec()} as a string that {@link FeatureSpec#parse} reads back. */
    public String toSpecString() { return spec.toSpecString(); }
    public int row() { return row; }
    public int col() { return col; }
    public int height() { return pattern.length; }
    public int width() { return pattern[0].length; }
    /** A copy of the pattern, h×w values in [0,1]. */
    public float[][] pattern() { return Patterns.copy(pattern); }
    /** A copy of the mask, h×w, true = written. */
    public boolean[][] mask() { return Patterns.copy(mask); }
    public float patternAt(int r, int c) { return pattern[r][c]; }
    public boolean maskedAt(int r, int c) { return mask[r][c]; }

    /** Number of pixels the feature writes (true entries of the mask). */
    public int maskedPixels() {
        int n = 0;
        for (boolean[] line : mask) {
            for (boolean m : line) {
                n += m ? 1 : 0;
            }
        }
        return n;
    }

    /** The same feature at another top-left position. */
    public UniqueFeature withPosition(int newRow, int newCol) {
        return new UniqueFeature(spec, pattern, mask, newRow, newCol);
    }

    /**
     * Checks that the feature lies wholly inside an imageH×imageW image.
     *
     * @throws IllegalArgumentException naming the feature, its size, position and the image size
     */
    public void validateFits(int imageH, int imageW) {
        String problem = Patterns.fitProblem(height(), width(), row, col, imageH, imageW);
        if (problem != null) {
            throw new IllegalArgumentException("feature " + id() + " (" + height() + "x" + width()
                    + " at row " + row + ", col " + col + ") " + problem);
        }
    }

    /**
     * Overwrites the masked pixels of one CHW image in [0,1] with this feature, on every channel.
     *
     * @param chw      images in CHW order; the image starts at {@code offset}
     * @param offset   index of the image's first value (image index × channels × h × w in a batch)
     */
    public void insertInto(float[] chw, int offset, int channels, int h, int w) {
        validateFits(h, w);
        insertPattern(pattern, mask, row, col, chw, offset, channels, h, w);
    }

    /**
     * Writes another pattern of this feature's shape (a random control patch) through this
     * feature's mask at its position: same code path and same pixels as {@link #insertInto}.
     */
    public void insertControlInto(float[][] controlPattern, float[] chw, int offset, int channels, int h, int w) {
        validateFits(h, w);
        Patterns.checkShape(controlPattern, mask, "control pattern for " + id());
        insertPattern(controlPattern, mask, row, col, chw, offset, channels, h, w);
    }

    /**
     * Overwrites the pixels of one CHW image under {@code mask} with {@code pattern}, on every
     * channel, with the pattern's top-left corner at (row, col).
     *
     * @throws IllegalArgumentException when shapes differ, the pattern does not fit the image or
     *                                  the array is too short for an image at {@code offset}
     */
    public static void insertPattern(float[][] pattern, boolean[][] mask, int row, int col,
                                     float[] chw, int offset, int channels, int h, int w) {
        Patterns.checkShape(pattern, mask, "pattern");
        checkTarget(chw, offset, channels, h, w);
        String problem = Patterns.fitProblem(pattern.length, pattern[0].length, row, col, h, w);
        if (problem != null) {
            throw new IllegalArgumentException("pattern " + pattern.length + "x" + pattern[0].length
                    + " at row " + row + ", col " + col + " " + problem);
        }
        int plane = h * w;
        for (int r = 0; r < pattern.length; r++) {
            for (int c = 0; c < pattern[r].length; c++) {
                if (!mask[r][c]) {
                    continue;
                }
                int pixel = offset + (row + r) * w + (col + c);
                for (int ch = 0; ch < channels; ch++) {
                    chw[pixel + ch * plane] = pattern[r][c];
                }
            }
        }
    }

    private static void checkTarget(float[] chw, int offset, int channels, int h, int w) {
        Objects.requireNonNull(chw, "image array");
        if (channels <= 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException("image shape must be positive, got ["
                    + channels + "," + h + "," + w + "]");
        }
        long end = (long) offset + (long) channels * h * w;
        if (offset < 0 || end > chw.length) {
            throw new IllegalArgumentException("image [" + channels + "," + h + "," + w + "] at offset "
                    + offset + " needs " + end + " values, the array has " + chw.length);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof UniqueFeature)) {
            return false;
        }
        UniqueFeature u = (UniqueFeature) o;
        return spec.equals(u.spec) && Arrays.deepEquals(pattern, u.pattern) && Arrays.deepEquals(mask, u.mask);
    }

    @Override
    public int hashCode() {
        return Objects.hash(spec, Arrays.deepHashCode(pattern));
    }

    @Override
    public String toString() {
        return id() + " " + height() + "x" + width() + " at (" + row + "," + col + ")";
    }
}
