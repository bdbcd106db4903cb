package io.memaudit.common.model;

/**
 * How many images per forward pass a model runs fastest at on its device, as far as is known. The
 * scorer's chunk ({@code memaudit.scoring.chunk}) stays the upper bound, for memory; within it:
 * <ul>
 *   <li>{@link #UNKNOWN}: passes as the probes come (a whole variant, or a sequential audit's block),
 *       cut at the chunk, never stacked — a user's model, of which nothing is measured;</li>
 *   <li>{@link #LARGEST}: the bigger the pass the better, so a sequential audit's small blocks of
 *       several variants are stacked into chunk-sized passes — a small dense network, whose passes
 *       cost far more in per-operation overhead than in images;</li>
 *   <li>{@code of(n)}: passes of at most n images, and smaller blocks stacked up to n — a network
 *       measured to run faster on passes of that size than on larger ones.</li>
 * </ul>
 *
 * @param images the preferred images per pass; 0 = unknown
 */
public record PassSize(int images) {
    public static final PassSize UNKNOWN = new PassSize(0);
    public static final PassSize LARGEST = new PassSize(Integer.MAX_VALUE);

    public PassSize {
        if (images < 0) {
            throw new IllegalArgumentException("images per pass must be >= 0 (0 = unknown), got " + images);
        }
    }

    public static PassSize of(int images) {
        if (images < 1) {
            throw new IllegalArgumentException("images per pass must be >= 1, got " + images);
        }
        return new PassSize(images);
    }

    /** The most images one forward pass takes under this preference and a chunk of {@code chunk}. */
    public int within(int chunk) {
        return images == 0 ? chunk : Math.min(images, chunk);
    }

    /** Whether blocks smaller than a pass are stacked, several variants to one pass. */
    public boolean stacks() {
        return images != 0;
    }
}
