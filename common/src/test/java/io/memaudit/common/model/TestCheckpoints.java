package io.memaudit.common.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Writes randomly initialised checkpoints for engine tests. */
public final class TestCheckpoints {
    private TestCheckpoints() { }

    public static CheckpointMetadata metadata(Architecture arch, int[] shape, int classes, Normalisation norm, Integer label) {
        return new CheckpointMetadata(CheckpointMetadata.FORMAT, "test-run", "mnist", arch.wireName(), "plain", shape, classes,
                CheckpointMetadata.NormalisationJson.of(norm), new CheckpointMetadata.FeatureRef("glyph:A@1,1", "glyph:A", label),
                List.of(), List.of(), 1, 1, 10, new CheckpointMetadata.Metrics(1.0, 0.5, 1.1, 0.4), null, null,
                Instant.EPOCH.toString());
    }

    /** A 1×28×28 MLP checkpoint with 10 classes, initialised from {@code seed}. */
    public static CheckpointMetadata writeMlp(Path dir, int seed) throws Exception {
        return write(dir, Architecture.MLP, new int[] {1, 28, 28}, 10, Normalisation.MNIST, seed);
    }

    public static CheckpointMetadata write(Path dir, Architecture arch, int[] shape, int classes, Normalisation norm,
                                           int seed) throws Exception {
        Engine.getInstance().setRandomSeed(seed);
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = arch.newBlock(classes);
            block.initialize(m, DataType.FLOAT32, new Shape(1, shape[0], shape[1], shape[2]));
            return CheckpointStore.write(dir, block, metadata(arch, shape, classes, norm, 3));
        }
    }
}
