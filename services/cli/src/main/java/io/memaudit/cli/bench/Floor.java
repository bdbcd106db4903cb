package io.memaudit.cli.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.memaudit.common.model.Architecture;

/**
 * What one image costs a built-in network at the engine's best measured rates: each fully-connected
 * layer at the GEMM rate, each convolution at the best rate the engine reaches on that layer alone,
 * over batches of 125 to 1000 images (the CNN's rate depends on the batch, and the floor is the best
 * the engine can do, not what the audit's passes get).
 *
 * @param flopsPerImage   forward FLOPs of one image (2 per multiply-add)
 * @param secondsPerImage one image's forward pass at those rates
 * @param convGflops      the best convolution rate found (null for a network without convolutions)
 */
public record Floor(double flopsPerImage, double secondsPerImage, Double convGflops) {
    /** The batch sizes each convolution's best rate is looked for at. */
    private static final int[] CONV_BATCHES = {125, 250, 500, 1000};

    public static Floor measure(Architecture arch, int[] shape, Device dev, double gemmGflops) {
        try (NDManager m = NDManager.newBaseManager(dev)) {
            Block block = arch.newBlock(10);
            Shape in = new Shape(1, shape[0], shape[1], shape[2]);
            block.initialize(m, DataType.FLOAT32, in);
            double flops = 0;
            double seconds = 0;
            Double bestConv = null;
            for (ModelFlops.Layer l : ModelFlops.layers(block, in)) {
                flops += l.flops();
                double rate = gemmGflops;
                if (l.kind().equals("conv")) {
                    rate = 0;
                    for (int batch : CONV_BATCHES) {
                        rate = Math.max(rate, EngineRates.convGflops(l, dev, batch, 5));
                    }
                    bestConv = bestConv == null ? rate : Math.max(bestConv, rate);
                }
                seconds += l.flops() / (rate * 1e9);
            }
            return new Floor(flops, seconds, bestConv);
        }
    }

    /** Milliseconds the forward passes of {@code images} images take at the floor. */
    public double millis(long images) {
        return secondsPerImage * images * 1000;
    }
}
