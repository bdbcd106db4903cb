package io.memaudit.common.data;

import io.memaudit.common.util.ImageFiles;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A user probe set: every PNG or JPEG file directly in a directory, in file-name order, converted to
 * a model's [C, H, W] like the presets (BT.601 luma for grey, grey copied to every channel for
 * colour, bilinear resampling with half-pixel centres). Each image's dimensions are read from its
 * header and checked before it is decoded, so a small file that declares a huge image is refused
 * without allocating it.
 */
public final class ImageDirectory {
    /** Largest image side accepted. */
    public static final int MAX_SIDE = ImageFiles.MAX_SIDE;
    /** Largest pixel count accepted per image (decoding allocates 4 bytes per pixel). */
    public static final long MAX_PIXELS = ImageFiles.MAX_PIXELS;
    /** Most images read from one directory. */
    public static final int MAX_IMAGES = 100_000;

    private ImageDirectory() { }

    /** Reads and converts every image of {@code dir}; the set's name is {@code dir:<dir>}. */
    public static ImageSet load(Path dir, int[] shape) {
        List<Path> files = imageFiles(dir);
        byte[][] pixels = new byte[files.size()][];
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            Decoded d = decode(f);
            pixels[i] = convert(f, d, shape);
        }
        return new ImageSet("dir:" + dir, shape[0], shape[1], shape[2], pixels, null);
    }

    private static byte[] convert(Path f, Decoded d, int[] shape) {
        try {
            return ProbeTransforms.convert(d.chw(), d.channels(), d.height(), d.width(), shape[0], shape[1], shape[2]);
        } catch (IllegalArgumentException e) {
            throw new DatasetException("probe image " + f + ": " + e.getMessage());
        }
    }

    private static List<Path> imageFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException("probe set directory " + dir + " does not exist or is not a directory");
        }
        try (Stream<Path> s = Files.list(dir)) {
            // symbolic links are skipped: a link could point outside the directory a worker was allowed to read
            List<Path> files = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).filter(ImageDirectory::isImageName).sorted().toList();
            if (files.isEmpty()) {
                throw new DatasetException("probe set directory " + dir + " holds no .png, .jpg or .jpeg files");
            }
            if (files.size() > MAX_IMAGES) {
                throw new DatasetException("probe set directory " + dir + " holds " + files.size()
                        + " images, over the limit of " + MAX_IMAGES);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list probe set directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isImageName(Path p) {
        return isImageName(p.getFileName().toString());
    }

    /** Whether a file (or object) of this name is read as a probe image: .png, .jpg, .jpeg in any case. */
    public static boolean isImageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    /** One decoded image: CHW bytes, 1 channel for grey files and 3 for colour (alpha dropped). */
    record Decoded(byte[] chw, int channels, int height, int width) { }

    static Decoded decode(Path f) {
        BufferedImage img;
        try {
            img = ImageFiles.read(f, MAX_SIDE, MAX_PIXELS);
        } catch (IllegalArgumentException e) {
            throw new DatasetException("probe image " + e.getMessage());
        }
        byte[] chw = toChw(img);
        return new Decoded(chw, chw.length / (img.getHeight() * img.getWidth()), img.getHeight(), img.getWidth());
    }

    private static byte[] toChw(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        boolean grey = img.getColorModel().getNumColorComponents() == 1;
        int c = grey ? 1 : 3;
        byte[] out = new byte[c * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                if (grey) {
                    out[y * w + x] = (byte) greyOf(img, x, y);
                } else {
                    out[y * w + x] = (byte) (rgb >> 16);
                    out[h * w + y * w + x] = (byte) (rgb >> 8);
                    out[2 * h * w + y * w + x] = (byte) rgb;
                }
            }
        }
        return out;
    }

    /** The stored grey level (getRGB would apply the grey colour space's gamma). */
    private static int greyOf(BufferedImage img, int x, int y) {
        int bits = img.getColorModel().getComponentSize(0);
        int v = img.getRaster().getSample(x, y, 0);
        return bits == 8 ? v : bits == 16 ? v >> 8 : Math.round(v * 255f / ((1 << bits) - 1));
    }

    /** The converted directories kept in memory, by directory and shape; the least recently used is dropped first. */
    public static final class Cache {
        private final Map<String, ImageSet> sets;

        public Cache(int capacity) {
            this.sets = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ImageSet> eldest) {
                    return size() > capacity;
                }
            };
        }

        public synchronized ImageSet load(Path dir, int[] shape) {
            String key = dir.toAbsolutePath().normalize() + Arrays.toString(shape);
            ImageSet s = sets.get(key);
            if (s == null) {
                s = ImageDirectory.load(dir, shape);
                sets.put(key, s);
            }
            return s;
        }
    }
}
