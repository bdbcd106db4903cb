package io.memaudit.common.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {
    @TempDir
    Path tmp;

    private static int red(int k, int p) { return (k * 10 + p % 7) & 0xFF; }
    private static int green(int p) { return p / 32; }
    private static int blue(int p) { return p % 32 * 8; }

    /** A sprite of {@code images} rows, image k's pixel p coloured by red/green/blue above. */
    private Path sprite(String file, int width, int images, int type) throws IOException {
        BufferedImage img = new BufferedImage(width, images, type);
        for (int k = 0; k < images; k++) {
            for (int p = 0; p < width; p++) {
                int rgb = red(k, p) << 16 | green(p) << 8 | blue(p);
                img.setRGB(p, k, 0xFF000000 | rgb);
            }
        }
        Path out = tmp.resolve(file);
        ImageIO.write(img, "png", out.toFile());
        return out;
    }

    private Path labels(String file, String json) throws IOException {
        return Files.writeString(tmp.resolve(file), json);
    }

    private static void assertImage(ImageSet set, int i, int k) {
        byte[] chw = set.raw(i);
        for (int p = 0; p < 1024; p++) {
            assertEquals(red(k, p), chw[p] & 0xFF, "R of pixel " + p);
            assertEquals(green(p), chw[1024 + p] & 0xFF, "G of pixel " + p);
            assertEquals(blue(p), chw[2048 + p] & 0xFF, "B of pixel " + p);
        }
    }

    @Test
    void readsRowsAsChwImages() throws IOException {
        Path a = sprite("a.png", 1024, 3, BufferedImage.TYPE_INT_RGB);
        Path b = sprite("b.png", 1024, 2, BufferedImage.TYPE_INT_RGB);
        Path l = labels("l.json", "[6,9,9,4,1]");
        ImageSet set = Cifar10Reader.read(List.of(a, b), l, "c/train");
        assertEquals(5, set.size());
        assertArrayEquals(new int[] {3, 32, 32}, set.shape());
        assertArrayEquals(new int[] {6, 9, 9, 4, 1}, set.labels());
        assertImage(set, 0, 0);
        assertImage(set, 2, 2);
        assertImage(set, 3, 0);
        assertImage(set, 4, 1);
    }

    @Test
    void readsSpritesWithAlphaThroughTheGenericPath() throws IOException {
        Path a = sprite("a.png", 1024, 3, BufferedImage.TYPE_INT_ARGB);
        ImageSet set = Cifar10Reader.read(List.of(a), labels("l.json", "[0,1,2]"), "c");
        assertImage(set, 1, 1);
    }

    @Test
    void readsThePackageLayout() throws IOException {
        sprite("test_batch.png", 1024, 2, BufferedImage.TYPE_INT_RGB);
        labels("test_lables.json", "[3,8]");
        ImageSet set = Cifar10Reader.readTest(tmp, "cifar10/test");
        assertEquals(2, set.size());
        assertEquals(8, set.label(1));
    }

    @Test
    void wrongWidthNamesFileAndWidths() throws IOException {
        Path a = sprite("a.png", 1000, 3, BufferedImage.TYPE_INT_RGB);
        Path l = labels("l.json", "[0,1,2]");
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10Reader.read(List.of(a), l, "c"));
        assertTrue(e.getMessage().contains(a.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("1000 pixels wide, expected 1024"), e.getMessage());
    }

    @Test
    void labelCountMismatch() throws IOException {
        Path a = sprite("a.png", 1024, 3, BufferedImage.TYPE_INT_RGB);
        Path l = labels("l.json", "[0,1]");
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10Reader.read(List.of(a), l, "c"));
        assertTrue(e.getMessage().contains(l.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("2 labels"), e.getMessage());
        assertTrue(e.getMessage().contains("hold 3"), e.getMessage());
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path a = sprite("a.png", 1024, 2, BufferedImage.TYPE_INT_RGB);
        Path l = labels("l.json", "[0,10]");
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10Reader.read(List.of(a), l, "c"));
        assertTrue(e.getMessage().contains("label 1 is 10"), e.getMessage());
    }

    @Test
    void notAnImage() throws IOException {
        Path a = Files.writeString(tmp.resolve("a.png"), "not a png");
        Path l = labels("l.json", "[0]");
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10Reader.read(List.of(a), l, "c"));
        assertTrue(e.getMessage().contains(a.toString()), e.getMessage());
    }
}
