package io.memaudit.common.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class ImageDirectoryTest {
    @TempDir
    Path dir;

    private void png(String name, int w, int h, int type, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (type == BufferedImage.TYPE_BYTE_GRAY) {
                    img.getRaster().setSample(x, y, 0, rgb & 0xFF); // setRGB would apply the grey space's gamma
                } else {
                    img.setRGB(x, y, rgb);
                }
            }
        }
        ImageIO.write(img, name.endsWith(".png") ? "png" : "jpg", dir.resolve(name).toFile());
    }

    @Test
    void imagesOfAnySizeAndColourAreConvertedToTheModelsShape() throws Exception {
        png("a.png", 40, 30, BufferedImage.TYPE_INT_RGB, 0xFF0000);   // red
        png("b.png", 10, 10, BufferedImage.TYPE_BYTE_GRAY, 0x808080);
        png("c.jpg", 64, 64, BufferedImage.TYPE_INT_RGB, 0x00FF00);
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        ImageSet grey = ImageDirectory.load(dir, new int[] {1, 28, 28});
        assertEquals(3, grey.size());
        assertArrayEquals(new int[] {1, 28, 28}, grey.shape());
        assertEquals(76, grey.raw(0)[0] & 0xFF, "BT.601 luma of pure red: 0.299 * 255");
        ImageSet rgb = ImageDirectory.load(dir, new int[] {3, 32, 32});
        byte[] fromGrey = rgb.raw(1);
        assertEquals(fromGrey[0], fromGrey[32 * 32], "grey copied to every channel");
        assertEquals(128, fromGrey[0] & 0xFF);
    }

    @Test
    void aSmallFileDeclaringAHugeImageIsRefusedBeforeDecoding() throws Exception {
        Files.write(dir.resolve("bomb.png"), pngHeaderOnly(20000, 20000));
        DatasetException e = assertThrows(DatasetException.class, () -> ImageDirectory.load(dir, new int[] {1, 28, 28}));
        assertTrue(e.getMessage().contains("20000×20000") && e.getMessage().contains("before decoding"), e.getMessage());
    }

    @Test
    void emptyMissingAndUndecodableDirectoriesAreNamed() throws Exception {
        assertTrue(assertThrows(DatasetException.class, () -> ImageDirectory.load(dir, new int[] {1, 28, 28}))
                .getMessage().contains("holds no .png"));
        assertTrue(assertThrows(DatasetException.class, () -> ImageDirectory.load(dir.resolve("nope"), new int[] {1, 28, 28}))
                .getMessage().contains("does not exist"));
        Files.writeString(dir.resolve("fake.png"), "not an image");
        assertTrue(assertThrows(DatasetException.class, () -> ImageDirectory.load(dir, new int[] {1, 28, 28}))
                .getMessage().contains("fake.png"));
    }

    @Test
    void symbolicLinksAreSkipped() throws Exception {
        png("a.png", 8, 8, BufferedImage.TYPE_BYTE_GRAY, 0);
        Path outside = Files.createTempFile("outside", ".png");
        try {
            Files.copy(dir.resolve("a.png"), outside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.createSymbolicLink(dir.resolve("link.png"), outside);
            assertEquals(1, ImageDirectory.load(dir, new int[] {1, 8, 8}).size());
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    /** A PNG signature and an IHDR chunk declaring w×h RGBA, with no image data. */
    public static byte[] pngHeaderOnly(int w, int h) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        DataOutputStream c = new DataOutputStream(chunk);
        c.write("IHDR".getBytes(StandardCharsets.US_ASCII));
        c.writeInt(w);
        c.writeInt(h);
        c.write(new byte[] {8, 6, 0, 0, 0});
        byte[] data = chunk.toByteArray();
        out.writeInt(13);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(data);
        out.writeInt((int) crc.getValue());
        return b.toByteArray();
    }
}
