package io.memaudit.common.feature;

import io.memaudit.common.util.ImageFiles;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Image features: a patch read from a PNG, grey = Rec. 601 luma of its RGB
 * (0.299 R + 0.587 G + 0.114 B) in [0,1]. The mask comes from a second PNG (a pixel is masked when
 * any of its R, G, B is nonzero), or, without one, from the patch's alpha channel (alpha &gt; 0),
 * or is the full patch when the PNG has no alpha. A spec's transform moves the grey values, never
 * the mask.
 */
public final class ImageFeatures {
    /** Largest side of a feature patch or mask: larger than any model input it could be written into. */
    static final int MAX_SIDE = 4096;
    private ImageFeatures() {
    }

    /** The image feature of {@code spec} (an image spec) with its top-left corner at (row, col). */
    public static UniqueFeature feature(FeatureSpec spec, int row, int col) {
        Path image = toPath(spec.imageUri());
        Path mask = spec.maskUri() == null ? null : toPath(spec.maskUri());
        BufferedImage patch = read(image);
        float[][] grey = luma(patch);
        if (spec.transform() != null) {
            grey = spec.transform().apply(grey);
        }
        boolean[][] m = mask == null ? alphaMask(patch) : maskFrom(read(mask), mask, patch, image);
        requireSomeMasked(m, mask == null ? image : mask);
        return new UniqueFeature(spec, grey, m, row, col);
    }

    /** A path, or a {@code file:} URI, as a Path. */
    public static Path toPath(String uri) {
        return uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
    }

    /**
     * Reads a PNG (or any format ImageIO knows); errors name the file. The header's size is checked
     * before decoding ({@link ImageFiles}): a patch is never larger than the images it is written into.
     */
    static BufferedImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("image feature: file " + file + " does not exist or is not a file");
        }
        try {
            return ImageFiles.read(file, MAX_SIDE, (long) MAX_SIDE * MAX_SIDE);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("image feature: " + e.getMessage(), e);
        }
    }

    /** Rec. 601 luma of every pixel, in [0,1]. */
    static float[][] luma(BufferedImage image) {
        float[][] grey = new float[image.getHeight()][image.getWidth()];
        for (int y = 0; y < grey.length; y++) {
            for (int x = 0; x < grey[y].length; x++) {
                int rgb = image.getRGB(x, y);
                double v = 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
                grey[y][x] = (float) Math.min(1.0, Math.max(0.0, v / 255.0));
            }
        }
        return grey;
    }

    /** alpha &gt; 0 when the image has alpha, else every pixel. */
    static boolean[][] alphaMask(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return Patterns.fullMask(image.getHeight(), image.getWidth());
        }
        boolean[][] m = new boolean[image.getHeight()][image.getWidth()];
        for (int y = 0; y < m.length; y++) {
            for (int x = 0; x < m[y].length; x++) {
                m[y][x] = (image.getRGB(x, y) >>> 24) > 0;
            }
        }
        return m;
    }

    private static boolean[][] maskFrom(BufferedImage maskImage, Path maskFile, BufferedImage patch, Path patchFile) {
        if (maskImage.getWidth() != patch.getWidth() || maskImage.getHeight() != patch.getHeight()) {
            throw new IllegalArgumentException("image feature: mask " + maskFile + " is " + maskImage.getHeight() + "x"
                    + maskImage.getWidth() + " (HxW) but the image " + patchFile + " is " + patch.getHeight() + "x"
                    + patch.getWidth());
        }
        boolean[][] m = new boolean[maskImage.getHeight()][maskImage.getWidth()];
        for (int y = 0; y < m.length; y++) {
            for (int x = 0; x < m[y].length; x++) {
                m[y][x] = (maskImage.getRGB(x, y) & 0xFFFFFF) != 0;
            }
        }
        return m;
    }

    private static void requireSomeMasked(boolean[][] mask, Path source) {
        for (boolean[] line : mask) {
            for (boolean b : line) {
                if (b) {
                    return;
                }
            }
        }
        throw new IllegalArgumentException("image feature: the mask from " + source + " selects no pixels");
    }
}
