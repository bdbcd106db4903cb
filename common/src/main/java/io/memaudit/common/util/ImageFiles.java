package io.memaudit.common.util;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Reads images named by users (feature patches, masks, probe directories) without trusting them: the
 * dimensions are taken from the header and checked before a pixel is decoded, so a small file that
 * declares 20000×20000 RGBA (1.6 GB once decoded) is refused at the cost of reading its header.
 */
public final class ImageFiles {
    /** Largest side accepted by default. */
    public static final int MAX_SIDE = 8192;
    /** Largest pixel count accepted by default (decoding allocates about 4 bytes per pixel). */
    public static final long MAX_PIXELS = 16L * 1024 * 1024;

    private ImageFiles() { }

    /**
     * The decoded image.
     *
     * @throws IllegalArgumentException naming the file: not an image ImageIO can read, over the limits, or unreadable
     */
    public static BufferedImage read(Path file, int maxSide, long maxPixels) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IllegalArgumentException(file + " is not a PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w <= 0 || h <= 0 || w > maxSide || h > maxSide || (long) w * h > maxPixels) {
                    throw new IllegalArgumentException(file + " declares " + w + "×" + h + " pixels, over the limit of "
                            + maxSide + " per side and " + maxPixels + " pixels; refused before decoding");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException(file + " cannot be decoded: " + e.getMessage(), e);
        }
    }

    public static BufferedImage read(Path file) {
        return read(file, MAX_SIDE, MAX_PIXELS);
    }
}
