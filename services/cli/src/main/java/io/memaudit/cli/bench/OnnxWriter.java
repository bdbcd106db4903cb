package io.memaudit.cli.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models (opset 13) without a protobuf library: enough of the ModelProto wire format
 * for graphs of Flatten, Gemm, Relu and MatMul nodes with float32 initialisers. The benchmarks use it
 * to run memaudit's own MLP through ONNX Runtime on the same weights as the DJL path, and to measure
 * ONNX Runtime's matrix-multiply rate. Field numbers are those of onnx.proto3.
 */
public final class OnnxWriter {
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initialisers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();

    /** A node; {@code ints} are name/value pairs of INT attributes. */
    public OnnxWriter node(String op, List<String> in, String out, Object... ints) {
        Proto n = new Proto();
        in.forEach(i -> n.string(1, i));
        n.string(2, out).string(3, op + "_" + nodes.size()).string(4, op);
        for (int k = 0; k < ints.length; k += 2) {
            n.message(5, new Proto().string(1, (String) ints[k]).int64(3, ((Number) ints[k + 1]).longValue()).int64(20, 2).bytes());
        }
        nodes.add(n.bytes());
        return this;
    }

    /** A float32 initialiser of the given shape (row-major values). */
    public OnnxWriter initialiser(String name, float[] values, long... dims) {
        Proto t = new Proto();
        for (long d : dims) {
            t.int64(1, d);
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        initialisers.add(t.int64(2, 1).string(8, name).bytes(9, raw.array()).bytes());
        return this;
    }

    /** A float32 graph input; a negative dimension is the dynamic "batch" axis. */
    public OnnxWriter input(String name, long... dims) {
        inputs.add(valueInfo(name, dims));
        return this;
    }

    public OnnxWriter output(String name, long... dims) {
        outputs.add(valueInfo(name, dims));
        return this;
    }

    public byte[] toBytes() {
        Proto graph = new Proto();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, "memaudit");
        initialisers.forEach(i -> graph.message(5, i));
        inputs.forEach(i -> graph.message(11, i));
        outputs.forEach(o -> graph.message(12, o));
        return new Proto().int64(1, 7).string(2, "memaudit").message(7, graph.bytes())
                .message(8, new Proto().string(1, "").int64(2, 13).bytes()).bytes();
    }

    private static byte[] valueInfo(String name, long... dims) {
        Proto shape = new Proto();
        for (long d : dims) {
            shape.message(1, d < 0 ? new Proto().string(2, "batch").bytes() : new Proto().int64(1, d).bytes());
        }
        Proto tensor = new Proto().int64(1, 1).message(2, shape.bytes());
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor.bytes()).bytes()).bytes();
    }

    /** Protobuf wire format: varint and length-delimited fields. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto int64(int field, long v) {
            varint((long) field << 3);
            varint(v);
            return this;
        }

        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, byte[] m) {
            return bytes(field, m);
        }

        Proto bytes(int field, byte[] b) {
            varint((long) field << 3 | 2);
            varint(b.length);
            out.write(b, 0, b.length);
            return this;
        }

        private void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
