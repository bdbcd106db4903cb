package io.memaudit.common.feature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A symmetry of the patch grid followed by a circular shift, used to make controls for image
 * features: {@code out[r][c] = op(in)[(r + dy) mod h][(c + dx) mod w]}. Written {@code OP:DY:DX},
 * e.g. {@code fliph:0:3}.
 */
public record PatchTransform(Op op, int dy, int dx) {
    /** Symmetries of an h×w grid; the last four exist only for square patches. */
    public enum Op {
        ID, ROT180, FLIPH, FLIPV, TRANSPOSE, ANTITRANSPOSE, ROT90, ROT270;

        boolean needsSquare() {
            return ordinal() >= TRANSPOSE.ordinal();
        }

        /** Where out[r][c] reads from, in an n-row, m-column grid, as {row, col}. */
        int[] source(int r, int c, int n, int m) {
            switch (this) {
                case ROT180: return new int[] {n - 1 - r, m - 1 - c};
                case FLIPH: return new int[] {r, m - 1 - c};
                case FLIPV: return new int[] {n - 1 - r, c};
                case TRANSPOSE: return new int[] {c, r};
                case ANTITRANSPOSE: return new int[] {m - 1 - c, n - 1 - r};
                case ROT90: return new int[] {n - 1 - c, r};
                case ROT270: return new int[] {c, m - 1 - r};
                default: return new int[] {r, c};
            }
        }
    }

    public PatchTransform {
        if (dy < 0 || dx < 0) {
            throw new IllegalArgumentException("patch transform: shifts must be >= 0, got " + dy + ":" + dx);
        }
    }

    /** Parses {@code OP:DY:DX}; OP is one of {@link Op}, case-insensitive. */
    public static PatchTransform parse(String s) {
        String[] parts = s.strip().split(":", -1);
        try {
            return new PatchTransform(Op.valueOf(parts[0].toUpperCase(Locale.ROOT)),
                    Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad transform '" + s + "'; expected OP:DY:DX with OP one of "
                    + Arrays.toString(Op.values()) + ", e.g. fliph:0:3");
        }
    }

    /** The transformed h×w pattern. */
    public float[][] apply(float[][] in) {
        int h = in.length;
        int w = in[0].length;
        if (op.needsSquare() && h != w) {
            throw new IllegalArgumentException("patch transform " + this + " needs a square patch, got " + h + "x" + w);
        }
        float[][] out = new float[h][w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int[] src = op.source((r + dy) % h, (c + dx) % w, h, w);
                out[r][c] = in[src[0]][src[1]];
            }
        }
        return out;
    }

    /**
     * Candidate control transforms for an h×w patch, in a fixed order: for each symmetry (identity
     * first), the shifts of a 5×5 grid of offsets (i·h/5, j·w/5), i, j = 0..4; the identity itself
     * is left out.
     */
    public static List<PatchTransform> candidates(int h, int w) {
        List<PatchTransform> out = new ArrayList<>();
        for (Op op : Op.values()) {
            if (op.needsSquare() && h != w) {
                continue;
            }
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    int dy = Math.round(i * h / 5f) % h;
                    int dx = Math.round(j * w / 5f) % w;
                    if (op != Op.ID || dy != 0 || dx != 0) {
                        out.add(new PatchTransform(op, dy, dx));
                    }
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return op.name().toLowerCase(Locale.ROOT) + ":" + dy + ":" + dx;
    }
}
