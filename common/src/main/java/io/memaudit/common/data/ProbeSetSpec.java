package io.memaudit.common.data;

import java.util.Objects;

/**
 * How to make a probe set: take images from {@code source}/{@code split} and convert them to
 * targetChannels×targetH×targetW (see {@link ProbeTransforms#convert}).
 *
 * @param name           the preset name, e.g. "cifar10-gray-28"
 * @param source         the data set the images come from
 * @param split          which part of it
 * @param targetChannels 1 (grey) or 3 (RGB)
 * @param targetH        height of the probe images
 * @param targetW        width of the probe images
 */
public record ProbeSetSpec(String name, DatasetName source, Split split, int targetChannels, int targetH,
                           int targetW) {
    public ProbeSetSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(split, "split");
        if (targetChannels <= 0 || targetH <= 0 || targetW <= 0) {
            throw new IllegalArgumentException(name + ": target shape must be positive, got ["
                    + targetChannels + "," + targetH + "," + targetW + "]");
        }
    }

    /**
     * The same images converted to another shape, under the same name (so the same images are
     * sampled): how a preset serves a model of any input shape.
     */
    public ProbeSetSpec withShape(int c, int h, int w) {
        return new ProbeSetSpec(name, source, split, c, h, w);
    }

    /** The target shape as [C, H, W]. */
    public int[] shape() {
        return new int[] {targetChannels, targetH, targetW};
    }
}
