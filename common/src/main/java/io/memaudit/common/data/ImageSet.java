package io.memaudit.common.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A set of images of one shape, stored as unsigned bytes (0..255) in CHW order, with optional
 * integer labels. Converting to floats in [0,1] happens per image, on demand, so that a data set
 * as large as CIFAR-10 stays at one byte per pixel in memory.
 */
public final class ImageSet {
    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[][] pixels;
    private final int[] labels;

    /**
     * @param name   human name used in error messages (e.g. "mnist/train")
     * @param pixels one array per image, CHW order, length channels*height*width
     * @param labels one label per image, or null when the set is unlabelled
     */
    public ImageSet(String name, int channels, int height, int width, byte[][] pixels, int[] labels) {
        this.name = Objects.requireNonNull(name, "name");
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(name + ": shape must be positive, got ["
                    + channels + "," + height + "," + width + "]");
        }
        int size = channels * height * width;
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i].length != size) {
                throw new IllegalArgumentException(name + ": image " + i + " has " + pixels[i].length
                        + " values, expected " + size + " for shape [" + channels + "," + height + "," + width + "]");
            }
        }
        if (labels != null && labels.length != pixels.length) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + pixels.length + " images");
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.labels = labels;
    }

    public String name() { return name; }
    public int channels() { return channels; }
    public int height() { return height; }
    public int width() { return width; }
    public int size() { return pixels.length; }
    public int pixelsPerImage() { return channels * height * width; }
    public boolean hasLabels() { return labels != null; }

    /** Shape as [C, H, W]. */
    public int[] shape() { return new int[] {channels, height, width}; }

    /** The raw bytes of image {@code i} (not copied; do not modify). */
    public byte[] raw(int i) { return pixels[i]; }

    public int label(int i) {
        if (labels == null) {
            throw new IllegalStateException(name + " has no labels");
        }
        return labels[i];
    }

    /** A copy of the labels, or null when unlabelled. */
    public int[] labels() { return labels == null ? null : labels.clone(); }

    /** Image {@code i} as floats in [0,1], CHW order, into {@code out} (length pixelsPerImage). */
    public void toUnitFloats(int i, float[] out, int offset) {
        byte[] p = pixels[i];
        for (int k = 0; k < p.length; k++) {
            out[offset + k] = (p[k] & 0xFF) / 255f;
        }
    }

    /** Image {@code i} as a new float array in [0,1], CHW order. */
    public float[] unitFloats(int i) {
        float[] out = new float[pixelsPerImage()];
        toUnitFloats(i, out, 0);
        return out;
    }

    /** The images at the given indices, in that order, as a new set sharing pixel arrays. */
    public ImageSet subset(String subsetName, int[] indices) {
        byte[][] p = new byte[indices.length][];
        int[] l = labels == null ? null : new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            p[k] = pixels[indices[k]];
            if (l != null) {
                l[k] = labels[indices[k]];
            }
        }
        return new ImageSet(subsetName, channels, height, width, p, l);
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape()) + " x" + size();
    }
}
