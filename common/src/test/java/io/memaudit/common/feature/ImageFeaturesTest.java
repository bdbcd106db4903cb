package io.memaudit.common.feature;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFeaturesTest {
    @TempDir
    Path dir;

    /** A 3×4 ARGB patch: pixel (y,x) has grey level 20·(4y+x), alpha 0 on the diagonal. */
    private Path alphaPatch() throws IOException {
        BufferedImage img = new BufferedImage(4, 3, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                int g = 20 * (4 * y + x);
                int alpha = x == y ? 0 : 255;
                img.setRGB(x, y, (alpha << 24) | (g << 16) | (g << 8) | g);
            }
        }
        return write(img, "patch.png");
    }

    private Path write(BufferedImage img, String name) throws IOException {
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(img, "png", file.toFile()));
        return file;
    }

    @Test
    void readsGreyAndTakesTheMaskFromAlpha() throws IOException {
        Path png = alphaPatch();
        UniqueFeature uf = FeatureSpec.parse("image:" + png + "@2,3").resolve(28, 28);
        assertEquals(3, uf.height());
        assertEquals(4, uf.width());
        assertEquals(2, uf.row());
        assertEquals(3, uf.col());
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(20 * (4 * y + x) / 255f, uf.patternAt(y, x), 1e-5f, "grey (" + y + "," + x + ")");
                assertEquals(x != y, uf.maskedAt(y, x), "mask (" + y + "," + x + ")");
            }
        }
        assertEquals(9, uf.maskedPixels());
    }

    @Test
    void lumaWeightsRgbAndMaskPngSelectsNonzeroPixels() throws IOException {
        BufferedImage rgb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xFF0000);
        rgb.setRGB(1, 0, 0x00FF00);
        rgb.setRGB(0, 1, 0x0000FF);
        rgb.setRGB(1, 1, 0xFFFFFF);
        Path png = write(rgb, "rgb.png");
        BufferedImage maskImg = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        maskImg.getRaster().setSample(1, 1, 0, 255);
        maskImg.getRaster().setSample(0, 0, 0, 1);
        Path mask = write(maskImg, "mask.png");
        UniqueFeature uf = FeatureSpec.image(png.toString(), mask.toString()).resolve(8, 8);
        assertEquals(0.299f, uf.patternAt(0, 0), 1e-4f);
        assertEquals(0.587f, uf.patternAt(0, 1), 1e-4f);
        assertEquals(0.114f, uf.patternAt(1, 0), 1e-4f);
        assertEquals(1f, uf.patternAt(1, 1), 1e-6f);
        assertTrue(uf.maskedAt(0, 0));
        assertFalse(uf.maskedAt(0, 1));
        assertFalse(uf.maskedAt(1, 0));
        assertTrue(uf.maskedAt(1, 1));
        assertEquals(1, uf.row(), "default position (1,1)");
    }

    @Test
    void opaquePngWithoutMaskIsFullyMasked() throws IOException {
        Path png = write(new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY), "black.png");
        assertEquals(6, FeatureSpec.parse("image:" + png).resolve(28, 28).maskedPixels());
    }

    @Test
    void transformSpecRebuildsTheControl() throws IOException {
        Path png = alphaPatch();
        UniqueFeature uf = FeatureSpec.parse("image:" + png).resolve(28, 28);
        UniqueFeature control = ControlFeatures.controlsFor(uf).get(3);
        assertEquals(control, FeatureSpec.parse(control.toSpecString()).resolve(28, 28));
    }

    @Test
    void errorsNameTheFilesAndSizes() throws IOException {
        Path missing = dir.resolve("nope.png");
        IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class,
                () -> FeatureSpec.parse("image:" + missing).resolve(28, 28));
        assertTrue(e1.getMessage().contains(missing.toString()), e1.getMessage());

        Path junk = dir.resolve("junk.png");
        Files.writeString(junk, "not a png");
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> FeatureSpec.parse("image:" + junk).resolve(28, 28));
        assertTrue(e2.getMessage().contains(junk.toString()) && e2.getMessage().contains("not a PNG or JPEG image"),
                e2.getMessage());

        Path png = alphaPatch();
        Path bigMask = write(new BufferedImage(5, 5, BufferedImage.TYPE_BYTE_GRAY), "big.png");
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> FeatureSpec.image(png.toString(), bigMask.toString()).resolve(28, 28));
        String m = e3.getMessage();
        assertTrue(m.contains(bigMask.toString()) && m.contains("5x5") && m.contains(png.toString())
                && m.contains("3x4"), m);

        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class,
                () -> FeatureSpec.image(png.toString(), null).withPosition(26, 0).resolve(28, 28));
        assertTrue(e4.getMessage().contains("28x28"), e4.getMessage());
    }

    @Test
    void aPatchDeclaringAHugeImageIsRefusedBeforeDecoding() throws Exception {
        java.nio.file.Path bomb = java.nio.file.Files.write(java.nio.file.Files.createTempFile("bomb", ".png"),
                io.memaudit.common.data.ImageDirectoryTest.pngHeaderOnly(20000, 20000));
        try {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> FeatureSpec.parse("image:" + bomb).resolve(28, 28));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("refused before decoding"), e.getMessage());
        } finally {
            java.nio.file.Files.deleteIfExists(bomb);
        }
    }
}
