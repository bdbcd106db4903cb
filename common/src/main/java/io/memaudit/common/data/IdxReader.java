package io.memaudit.common.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads MNIST-style IDX files: big-endian, images with magic {@code 0x00000803} followed by
 * count, rows and columns, then count*rows*cols unsigned bytes; labels with magic
 * {@code 0x00000801} followed by count, then count unsigned bytes.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;

    private IdxReader() { }

    /** Reads an image file and its label file into a one-channel set. */
    public static ImageSet read(Path images, Path labels, String name) {
        byte[] img = readAll(images);
        byte[] lab = readAll(labels);
        ByteBuffer ih = header(images, img, IMAGES_HEADER, IMAGES_MAGIC, "images");
        int count = nonNegative(images, ih.getInt(), "image count");
        int rows = positive(images, ih.getInt(), "rows");
        int cols = positive(images, ih.getInt(), "columns");
        checkLength(images, img, IMAGES_HEADER + (long) count * rows * cols);
        ByteBuffer lh = header(labels, lab, LABELS_HEADER, LABELS_MAGIC, "labels");
        int labelCount = nonNegative(labels, lh.getInt(), "label count");
        checkLength(labels, lab, LABELS_HEADER + (long) labelCount);
        if (labelCount != count) {
            throw new DatasetException(labels + " holds " + labelCount + " labels but " + images
                    + " holds " + count + " images");
        }
        return new ImageSet(name, 1, rows, cols, split(img, count, rows * cols), toLabels(lab, count));
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e, e);
        }
    }

    private static ByteBuffer header(Path file, byte[] data, int headerBytes, int magic, String kind) {
        if (data.length < headerBytes) {
            throw new DatasetException(file + " is too short for an IDX " + kind + " header: "
                    + data.length + " bytes, expected at least " + headerBytes);
        }
        ByteBuffer b = ByteBuffer.wrap(data, 0, headerBytes); // big-endian by default
        int actual = b.getInt();
        if (actual != magic) {
            throw new DatasetException(file + " is not an IDX " + kind + " file: magic number 0x"
                    + String.format("%08x", actual) + ", expected 0x" + String.format("%08x", magic));
        }
        return b;
    }

    private static int nonNegative(Path file, int value, String what) {
        if (value < 0) {
            throw new DatasetException(file + ": bad IDX header, " + what + " is " + value);
        }
        return value;
    }

    private static int positive(Path file, int value, String what) {
        if (value <= 0) {
            throw new DatasetException(file + ": bad IDX header, " + what + " is " + value);
        }
        return value;
    }

    private static void checkLength(Path file, byte[] data, long expected) {
        if (data.length != expected) {
            throw new DatasetException(file + " has " + data.length + " bytes, expected " + expected
                    + " from its header" + (data.length < expected ? " (file truncated?)" : ""));
        }
    }

    private static byte[][] split(byte[] data, int count, int size) {
        byte[][] out = new byte[count][];
        for (int i = 0; i < count; i++) {
            int from = IMAGES_HEADER + i * size;
            out[i] = java.util.Arrays.copyOfRange(data, from, from + size);
        }
        return out;
    }

    private static int[] toLabels(byte[] data, int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = data[LABELS_HEADER + i] & 0xFF;
        }
        return out;
    }
}
