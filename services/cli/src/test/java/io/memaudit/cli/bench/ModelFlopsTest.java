package io.memaudit.cli.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.memaudit.common.model.Architecture;
import io.memaudit.common.model.Variant;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** FLOPs per image of the built-in networks, against sums worked out by hand from their layer sizes. */
class ModelFlopsTest {
    private static double flops(String model, Shape in) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = Architecture.of(model, Variant.PLAIN).newBlock(10);
            b.initialize(m, DataType.FLOAT32, in);
            return ModelFlops.perImage(b, in);
        }
    }

    @Test
    void mlp() {
        // 784→512→256→10: 2·(784·512 + 512·256 + 256·10)
        assertEquals(2.0 * (784 * 512 + 512 * 256 + 256 * 10), flops("mlp", new Shape(1, 1, 28, 28)), 0);
    }

    @Test
    void cnn() {
        // 3×3 convolutions, padding 1: 3→32 and 32→32 at 32×32, 32→64 and 64→64 at 16×16; 4096→1024→10
        double conv = 2.0 * 9 * (3 * 32 * 1024 + 32 * 32 * 1024 + 32 * 64 * 256 + 64 * 64 * 256);
        double dense = 2.0 * (4096 * 1024 + 1024 * 10);
        assertEquals(conv + dense, flops("cnn", new Shape(1, 3, 32, 32)), 0);
        assertEquals(57_364_480, conv + dense, 0, "3.2 TFLOP per audit of 56,000 images, as the issue measured");
    }
}
