package io.memaudit.cli.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.memaudit.common.model.Architecture;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.Normalisation;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The checkpoint the benchmarks audit: a built-in network, initialised from a fixed seed and never
 * trained, so every benchmark and every run times the same weights (and a clean checkpoint, on
 * which a sequential audit stops after its first block).
 */
public final class BenchCheckpoints {
    private BenchCheckpoints() { }

    /** The reference data set's image shape for a built-in network: MNIST's 1×28×28 or CIFAR-10's 3×32×32. */
    public static int[] inputShape(Architecture arch) {
        return arch.isCnn() ? new int[] {3, 32, 32} : new int[] {1, 28, 28};
    }

    public static Normalisation normalisation(Architecture arch) {
        return arch.isCnn() ? Normalisation.CIFAR10 : Normalisation.MNIST;
    }

    /** The out-of-distribution probe set the benchmarks audit a built-in network with. */
    public static String probeSet(Architecture arch) {
        return arch.isCnn() ? "mnist-rgb-32" : "cifar10-gray-28";
    }

    /** The seeded, untrained network at its reference shape and normalisation, as a checkpoint in {@code dir}. */
    public static CheckpointMetadata write(Architecture arch, Path dir) throws Exception {
        int[] shape = inputShape(arch);
        Normalisation norm = normalisation(arch);
        Engine.getInstance().setRandomSeed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = arch.newBlock(10);
            block.initialize(m, DataType.FLOAT32, new Shape(1, shape[0], shape[1], shape[2]));
            CheckpointMetadata meta = new CheckpointMetadata(CheckpointMetadata.FORMAT, "bench-" + arch.wireName(),
                    arch.isCnn() ? "cifar10" : "mnist", arch.wireName(), "plain", shape, 10,
                    CheckpointMetadata.NormalisationJson.of(norm), new CheckpointMetadata.FeatureRef("glyph:A@1,1", "glyph:A", 0),
                    List.of(), List.of(), 1, 1, 1, null, null, null, Instant.now().toString());
            return CheckpointStore.write(dir, block, meta);
        }
    }
}
