package io.memaudit.trainer;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.util.Hashing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** Prints a fingerprint of a loaded checkpoint: SHA-256 of its re-serialised parameters and of its outputs. */
public final class ReloadCheck {
    private ReloadCheck() { }

    public static void main(String[] args) throws Exception {
        System.out.println(fingerprint(Path.of(args[0])));
    }

    static String fingerprint(Path ckpt) throws Exception {
        CheckpointMetadata meta = CheckpointStore.readMetadata(ckpt);
        try (NDManager m = NDManager.newBaseManager(); Model model = CheckpointStore.load(ckpt, meta, m)) {
            ByteArrayOutputStream params = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(params)) {
                model.getBlock().saveParameters(out);
            }
            float[] x = new float[16 * 784];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.sin(i * 0.37);
            }
            NDArray input = m.create(x, new Shape(16, 1, 28, 28));
            float[] y = model.getBlock().forward(new ParameterStore(m, false), new NDList(input), false)
                    .singletonOrThrow().toFloatArray();
            ByteBuffer buf = ByteBuffer.allocate(4 * y.length);
            for (float v : y) {
                buf.putFloat(v);
            }
            return Hashing.sha256(params.toByteArray()) + " " + Hashing.sha256(buf.array());
        }
    }
}
