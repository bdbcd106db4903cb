package io.memaudit.cli.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * What the engine can do at best on this machine, measured in the same run as the audit it is
 * compared with (the machine is shared and its speed moves): the float32 matrix-multiply rate, and
 * the rate of one convolution layer on a large batch.
 */
public final class EngineRates {
    /** Side of the square matrices of the GEMM measurement. */
    public static final int GEMM = 2048;

    private EngineRates() { }

    /**
     * Best float32 GEMM rate of the engine behind {@code device} over {@code tries} {@code GEMM}²
     * products, GFLOP/s: the better of its matrix product ({@code matMul}) and its fully-connected
     * layer (MXNet's FullyConnected, the BLAS sgemm the MLP's layers run on), which differ severalfold.
     */
    public static double gemmGflops(Device device, int tries) {
        return Math.max(matMulGflops(device, tries), fullyConnectedGflops(device, tries));
    }

    static double matMulGflops(Device device, int tries) {
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray a = m.ones(new Shape(GEMM, GEMM)).mul(0.001f);
            double best = Double.MAX_VALUE;
            for (int i = 0; i < tries; i++) {
                try (NDManager scope = m.newSubManager()) {
                    a.tempAttach(scope);
                    long t0 = System.nanoTime();
                    a.matMul(a).get(0, 0).getFloat(); // reading one value waits for the engine
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
            }
            return 2.0 * GEMM * GEMM * GEMM / best / 1e9;
        }
    }

    static double fullyConnectedGflops(Device device, int tries) {
        try (NDManager m = NDManager.newBaseManager(device)) {
            ai.djl.nn.Block fc = ai.djl.nn.core.Linear.builder().setUnits(GEMM).build();
            fc.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(GEMM, GEMM));
            NDArray x = m.ones(new Shape(GEMM, GEMM)).mul(0.001f);
            ParameterStore ps = new ParameterStore(m, false);
            double best = Double.MAX_VALUE;
            for (int i = 0; i < tries; i++) {
                try (NDManager scope = m.newSubManager()) {
                    x.tempAttach(scope);
                    long t0 = System.nanoTime();
                    fc.forward(ps, new NDList(x), false).singletonOrThrow().get(0, 0).getFloat();
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
            }
            return 2.0 * GEMM * GEMM * GEMM / best / 1e9;
        }
    }

    /**
     * Best rate of one counted convolution layer alone, on {@code batch} images of its input shape,
     * GFLOP/s: what the engine's convolution reaches on this layer's sizes.
     */
    public static double convGflops(ModelFlops.Layer conv, Device device, int batch, int tries) {
        Shape in = conv.input();
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray x = m.randomUniform(0, 1, new Shape(batch, in.get(1), in.get(2), in.get(3)));
            ParameterStore ps = new ParameterStore(m, false);
            double best = Double.MAX_VALUE;
            for (int i = 0; i < tries; i++) {
                try (NDManager scope = m.newSubManager()) {
                    x.tempAttach(scope);
                    long t0 = System.nanoTime();
                    conv.block().forward(ps, new NDList(x), false).singletonOrThrow().get(0, 0, 0, 0).getFloat();
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
            }
            return conv.flops() * batch / best / 1e9;
        }
    }
}
