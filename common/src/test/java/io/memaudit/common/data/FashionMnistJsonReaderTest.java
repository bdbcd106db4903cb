package io.memaudit.common.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistJsonReaderTest {
    @TempDir
    Path tmp;

    /** A row whose every pixel is {@code value}. */
    private static String row(int value, int length) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int i = 0; i < length; i++) {
            j.add(String.valueOf(value));
        }
        return j.toString();
    }

    /** Class c gets images with pixel values c*20 + k, k = 0..perClass-1, plus an empty row in class 0. */
    private void writeClasses(int perClass) throws IOException {
        for (int c = 0; c < 10; c++) {
            List<String> rows = new ArrayList<>();
            for (int k = 0; k < perClass; k++) {
                rows.add(row(c * 20 + k, 784));
                if (c == 0 && k == 1) {
                    rows.add("[]");
                }
            }
            Files.writeString(tmp.resolve(c + ".json"), "{\"data\":[" + String.join(",", rows) + ",[]]}");
        }
    }

    @Test
    void lastImagesOfEachClassAreTest() throws IOException {
        writeClasses(5);
        TrainTestSets sets = FashionMnistJsonReader.read(tmp, 2, "fm");
        ImageSet train = sets.train();
        ImageSet test = sets.test();
        assertEquals(30, train.size());
        assertEquals(20, test.size());
        assertArrayEquals(new int[] {1, 28, 28}, train.shape());
        assertEquals("fm/train", train.name());
        assertEquals("fm/test", test.name());
        for (int c = 0; c < 10; c++) {
            for (int k = 0; k < 3; k++) {
                assertEquals(c, train.label(c * 3 + k));
                assertEquals(c * 20 + k, train.raw(c * 3 + k)[100] & 0xFF);
            }
            for (int k = 0; k < 2; k++) {
                assertEquals(c, test.label(c * 2 + k));
                assertEquals(c * 20 + 3 + k, test.raw(c * 2 + k)[783] & 0xFF);
            }
        }
        assertEquals(test, sets.get(Split.TEST));
    }

    @Test
    void badRowLengthNamesFileAndRow() throws IOException {
        writeClasses(3);
        Path bad = tmp.resolve("4.json");
        Files.writeString(bad, "{\"data\":[" + row(1, 784) + "," + row(1, 783) + "]}");
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnistJsonReader.read(tmp, 1, "fm"));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("row 1 has 783 values, expected 784"), e.getMessage());
    }

    @Test
    void valueOutOfRange() throws IOException {
        writeClasses(3);
        Files.writeString(tmp.resolve("2.json"), "{\"data\":[" + row(256, 784) + "]}");
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnistJsonReader.read(tmp, 1, "fm"));
        assertTrue(e.getMessage().contains("outside 0..255"), e.getMessage());
    }

    @Test
    void tooFewImagesForTheSplit() throws IOException {
        writeClasses(2);
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnistJsonReader.read(tmp, 2, "fm"));
        assertTrue(e.getMessage().contains("0.json holds 2 images"), e.getMessage());
    }

    @Test
    void malformedJson() throws IOException {
        writeClasses(3);
        Files.writeString(tmp.resolve("7.json"), "{\"data\":[[1,2,");
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnistJsonReader.read(tmp, 1, "fm"));
        assertTrue(e.getMessage().contains("7.json"), e.getMessage());
    }
}
