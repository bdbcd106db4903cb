package io.memaudit.common.feature;

import java.util.Arrays;
import java.util.Objects;

/** Small helpers on h×w patterns and masks: copies, shape and range checks, fit test. */
final class Patterns {
    private Patterns() {
    }

    static float[][] copy(float[][] a) {
        float[][] out = new float[a.length][];
        for (int r = 0; r < a.length; r++) {
            out[r] = a[r].clone();
        }
        return out;
    }

    static boolean[][] copy(boolean[][] a) {
        boolean[][] out = new boolean[a.length][];
        for (int r = 0; r < a.length; r++) {
            out[r] = a[r].clone();
        }
        return out;
    }

    /** An h×w mask with every pixel written. */
    static boolean[][] fullMask(int h, int w) {
        boolean[][] m = new boolean[h][w];
        for (boolean[] line : m) {
            Arrays.fill(line, true);
        }
        return m;
    }

    /** Checks that pattern and mask are non-empty rectangles of the same h×w. */
    static void checkShape(float[][] pattern, boolean[][] mask, String what) {
        Objects.requireNonNull(pattern, what + ": pattern");
        Objects.requireNonNull(mask, what + ": mask");
        if (pattern.length == 0 || pattern[0] == null || pattern[0].length == 0) {
            throw new IllegalArgumentException(what + ": pattern is empty");
        }
        int h = pattern.length;
        int w = pattern[0].length;
        if (mask.length != h) {
            throw new IllegalArgumentException(what + ": mask has " + mask.length + " rows, pattern " + h);
        }
        for (int r = 0; r < h; r++) {
            if (pattern[r] == null || pattern[r].length != w) {
                throw new IllegalArgumentException(what + ": pattern row " + r + " is not " + w + " wide");
            }
            if (mask[r] == null || mask[r].length != w) {
                throw new IllegalArgumentException(what + ": mask row " + r + " is not " + w + " wide");
            }
        }
    }

    /** Checks that every value is a finite number in [0,1]. */
    static void checkUnitRange(float[][] pattern, String what) {
        for (int r = 0; r < pattern.length; r++) {
            for (int c = 0; c < pattern[r].length; c++) {
                float v = pattern[r][c];
                if (!(v >= 0f && v <= 1f)) {
                    throw new IllegalArgumentException(what + ": pattern value " + v + " at (" + r + ","
                            + c + ") is outside [0,1]");
                }
            }
        }
    }

    /**
     * Why an h×w pattern at (row, col) does not fit an imageH×imageW image, or null when it fits.
     */
    static String fitProblem(int h, int w, int row, int col, int imageH, int imageW) {
        if (h > imageH || w > imageW) {
            return "is larger than the " + imageH + "x" + imageW + " image";
        }
        if (row < 0 || col < 0 || row + h > imageH || col + w > imageW) {
            return "lies (partly) outside the " + imageH + "x" + imageW + " image: it covers rows "
                    + row + ".." + (row + h - 1) + " and cols " + col + ".." + (col + w - 1);
        }
        return null;
    }

    /** True when the two patterns are equal on every masked pixel. */
    static boolean equalUnderMask(float[][] a, float[][] b, boolean[][] mask) {
        for (int r = 0; r < mask.length; r++) {
            for (int c = 0; c < mask[r].length; c++) {
                if (mask[r][c] && Float.compare(a[r][c], b[r][c]) != 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
