package io.memaudit.common.util;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes NumPy {@code .npy} files (format version 1.0): little-endian float32, C order, so that
 * {@code numpy.load} and {@code torch.from_numpy} read exactly the values memaudit used.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

    private Npy() { }

    /** Writes {@code values} (length = product of {@code shape}) as a float32 array of that shape. */
    public static void writeFloat32(Path file, float[] values, long... shape) throws IOException {
        long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (count != values.length) {
            throw new IllegalArgumentException(file + ": shape " + Arrays.toString(shape) + " holds " + count
                    + " values, got " + values.length);
        }
        try (OutputStream os = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
            out.write(MAGIC);
            byte[] header = header(shape);
            out.writeShort(Short.reverseBytes((short) header.length));
            out.write(header);
            for (float v : values) {
                out.writeInt(Integer.reverseBytes(Float.floatToRawIntBits(v)));
            }
        }
    }

    /** The header dictionary, padded with spaces so that the data starts at a multiple of 64 bytes. */
    static byte[] header(long... shape) {
        String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + (shape.length == 1 ? "," : "") + "), }";
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        return (dict + " ".repeat(padded - unpadded) + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
