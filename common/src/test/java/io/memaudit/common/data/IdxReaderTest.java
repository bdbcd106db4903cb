package io.memaudit.common.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path tmp;

    static byte[] imagesFile(int magic, int count, int rows, int cols, int payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + payload);
        b.putInt(magic).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < payload; i++) {
            b.put((byte) (i * 7));
        }
        return b.array();
    }

    static byte[] labelsFile(int count) {
        ByteBuffer b = ByteBuffer.allocate(8 + count);
        b.putInt(IdxReader.LABELS_MAGIC).putInt(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) (9 - i));
        }
        return b.array();
    }

    private Path write(String name, byte[] data) throws IOException {
        return Files.write(tmp.resolve(name), data);
    }

    @Test
    void readsImagesAndLabels() throws IOException {
        Path img = write("img", imagesFile(IdxReader.IMAGES_MAGIC, 3, 2, 4, 24));
        Path lab = write("lab", labelsFile(3));
        ImageSet set = IdxReader.read(img, lab, "tiny");
        assertEquals(3, set.size());
        assertArrayEquals(new int[] {1, 2, 4}, set.shape());
        assertArrayEquals(new int[] {9, 8, 7}, set.labels());
        assertEquals((byte) (8 * 7), set.raw(1)[0]);
        assertEquals((byte) (23 * 7), set.raw(2)[7]);
        assertEquals("tiny", set.name());
    }

    @Test
    void wrongMagicIsRejected() throws IOException {
        Path img = write("img", imagesFile(0x00000801, 3, 2, 4, 24));
        Path lab = write("lab", labelsFile(3));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(img, lab, "x"));
        assertTrue(e.getMessage().contains(img.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000803"), e.getMessage());
    }

    @Test
    void shortFileNamesExpectedAndActualBytes() throws IOException {
        Path img = write("img", imagesFile(IdxReader.IMAGES_MAGIC, 3, 2, 4, 20));
        Path lab = write("lab", labelsFile(3));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(img, lab, "x"));
        assertTrue(e.getMessage().contains(img.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("36 bytes, expected 40"), e.getMessage());
    }

    @Test
    void fileShorterThanHeader() throws IOException {
        Path img = write("img", new byte[] {0, 0, 8, 3});
        Path lab = write("lab", labelsFile(3));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(img, lab, "x"));
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
    }

    @Test
    void labelCountMismatch() throws IOException {
        Path img = write("img", imagesFile(IdxReader.IMAGES_MAGIC, 3, 2, 4, 24));
        Path lab = write("lab", labelsFile(2));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(img, lab, "x"));
        assertTrue(e.getMessage().contains("2 labels"), e.getMessage());
        assertTrue(e.getMessage().contains("3 images"), e.getMessage());
    }

    @Test
    void missingFile() {
        Path img = tmp.resolve("nope");
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(img, img, "x"));
        assertTrue(e.getMessage().contains(img.toString()), e.getMessage());
    }
}
