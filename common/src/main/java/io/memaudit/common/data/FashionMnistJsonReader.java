package io.memaudit.common.data;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Reads Fashion-MNIST as shipped in the npm package {@code fashion-mnist@1.1.0}: ten files
 * {@code src/clothes/0.json .. 9.json}, each {@code {"data": [[784 ints 0..255], ...]}} holding
 * the 28×28 images of one class (the file number is the label). Files are read with a streaming
 * JSON parser, in parallel.
 *
 * <p>Empty rows ({@code []}) are skipped: the package's {@code 0.json} holds two of them (at
 * positions 1000 and 7001), so each class has 7000 images.
 *
 * <p>The package has no train/test split, so memaudit defines this deterministic one: for each
 * class, the <b>last 1000 images</b> of that class's file (in file order, after dropping empty
 * rows) are <b>test</b>, all earlier ones are <b>train</b>. Both sets are ordered by class (all of
 * class 0 in file order, then class 1, ...). With the pinned package this gives 60,000 training
 * and 10,000 test images.
 */
public final class FashionMnistJsonReader {
    /** Images of each class kept for the test split (the last ones in each file). */
    public static final int TEST_PER_CLASS = 1000;
    public static final int CLASSES = 10;
    public static final int SIDE = 28;
    private static final int PIXELS = SIDE * SIDE;

    private FashionMnistJsonReader() { }

    /**
     * Reads {@code clothesDir/0.json .. 9.json}.
     *
     * @param name prefix for the set names ("NAME/train", "NAME/test")
     */
    public static TrainTestSets read(Path clothesDir, String name) {
        return read(clothesDir, TEST_PER_CLASS, name);
    }

    /** As {@link #read(Path, String)} with another number of test images per class. */
    static TrainTestSets read(Path clothesDir, int testPerClass, String name) {
        List<List<byte[]>> byClass = IntStream.range(0, CLASSES).parallel()
                .mapToObj(c -> readClassFile(clothesDir.resolve(c + ".json")))
                .toList();
        for (int c = 0; c < CLASSES; c++) {
            int n = byClass.get(c).size();
            if (n <= testPerClass) {
                throw new DatasetException(clothesDir.resolve(c + ".json") + " holds " + n
                        + " images; more than " + testPerClass + " are needed to keep " + testPerClass
                        + " for the test split");
            }
        }
        return new TrainTestSets(collect(byClass, testPerClass, false, name + "/train"),
                collect(byClass, testPerClass, true, name + "/test"));
    }

    private static ImageSet collect(List<List<byte[]>> byClass, int testPerClass, boolean test, String name) {
        List<byte[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < byClass.size(); c++) {
            List<byte[]> all = byClass.get(c);
            int cut = all.size() - testPerClass;
            List<byte[]> part = test ? all.subList(cut, all.size()) : all.subList(0, cut);
            images.addAll(part);
            for (int k = 0; k < part.size(); k++) {
                labels.add(c);
            }
        }
        int[] l = labels.stream().mapToInt(Integer::intValue).toArray();
        return new ImageSet(name, 1, SIDE, SIDE, images.toArray(new byte[0][]), l);
    }

    /** The non-empty rows of one class file, each as 784 bytes. */
    static List<byte[]> readClassFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file + " is missing");
        }
        try (BufferedReader br = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             JsonReader json = new JsonReader(br)) {
            return readDataObject(file, json);
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new DatasetException(file + " is not valid Fashion-MNIST JSON ({\"data\": [[784 ints], ...]}): "
                    + e.getMessage(), e);
        }
    }

    private static List<byte[]> readDataObject(Path file, JsonReader json) throws IOException {
        List<byte[]> rows = null;
        json.beginObject();
        while (json.hasNext()) {
            if (json.nextName().equals("data")) {
                rows = readRows(file, json);
            } else {
                json.skipValue();
            }
        }
        json.endObject();
        if (rows == null) {
            throw new DatasetException(file + " has no \"data\" array");
        }
        return rows;
    }

    private static List<byte[]> readRows(Path file, JsonReader json) throws IOException {
        List<byte[]> rows = new ArrayList<>();
        json.beginArray();
        for (int r = 0; json.hasNext(); r++) {
            byte[] row = readRow(file, json, r);
            if (row != null) {
                rows.add(row);
            }
        }
        json.endArray();
        return rows;
    }

    /** One row, or null when it is empty. */
    private static byte[] readRow(Path file, JsonReader json, int r) throws IOException {
        byte[] row = new byte[PIXELS];
        int n = 0;
        json.beginArray();
        while (json.peek() != JsonToken.END_ARRAY) {
            int v = json.nextInt();
            if (v < 0 || v > 255) {
                throw new DatasetException(file + ": row " + r + " value " + n + " is " + v + ", outside 0..255");
            }
            if (n < PIXELS) {
                row[n] = (byte) v;
            }
            n++;
        }
        json.endArray();
        if (n == 0) {
            return null;
        }
        if (n != PIXELS) {
            throw new DatasetException(file + ": row " + r + " has " + n + " values, expected " + PIXELS
                    + " (" + SIDE + "×" + SIDE + ")");
        }
        return row;
    }
}
