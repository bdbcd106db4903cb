package io.memaudit.common.scoring;

import io.memaudit.common.data.ImageSet;

/**
 * Supplies N probe images of a named probe set, chosen with a seed and converted to a model's input
 * shape (real data sets, a directory of images, or generated in tests).
 */
@FunctionalInterface
public interface ProbeProvider {
    /**
     * @param probeSet a preset name or {@code dir:PATH}
     * @param shape    [C, H, W] the images must have
     */
    ImageSet probes(String probeSet, int n, long seed, int[] shape);
}
