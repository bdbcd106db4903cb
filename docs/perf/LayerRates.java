import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Where the MLP audit's forward pass loses against the floor: the rate MXNet's fully-connected
 * layer reaches on each of the MLP's shapes, next to the 2048² layer the floor is measured on, in
 * one run. Run from the repository root after a build:
 *
 *   java -Dai.djl.offline=true -cp services/cli/target/memaudit.jar docs/perf/LayerRates.java
 *
 * Each figure is the median of 15 timed calls after 3 warm-up calls; a call ends when one element
 * of its output has been read back (which waits for the engine).
 */
public class LayerRates {
    static double medianMs(Supplier<NDArray> op, NDManager m) {
        double[] t = new double[15];
        for (int i = -3; i < t.length; i++) {
            try (NDManager scope = m.newSubManager()) {
                long t0 = System.nanoTime();
                NDArray y = op.get();
                y.attach(scope);
                y.getFloat(0, 0);
                if (i >= 0) {
                    t[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }

    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            System.out.println("engine " + m.getEngine().getEngineName() + " " + m.getEngine().getVersion() + ", device "
                    + m.getDevice() + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS"));
            NDArray big = m.randomUniform(0, 1, new Shape(2048, 2048));
            NDArray bigW = m.randomUniform(0, 1, new Shape(2048, 2048));
            NDArray bigB = m.zeros(new Shape(2048));
            double refMs = medianMs(() -> Linear.linear(big, bigW, bigB).head(), m);
            double ref = 2.0 * 2048 * 2048 * 2048 / refMs / 1e6;
            System.out.printf(Locale.ROOT, "reference: fully-connected 2048x2048 -> 2048: %.2f ms, %.0f GFLOP/s%n", refMs, ref);
            int[][] layers = {{784, 512}, {512, 256}, {256, 10}};
            NDArray[] w = new NDArray[3];
            NDArray[] b = new NDArray[3];
            for (int l = 0; l < 3; l++) {
                w[l] = m.randomNormal(new Shape(layers[l][1], layers[l][0])).mul(0.05f);
                b[l] = m.zeros(new Shape(layers[l][1]));
            }
            System.out.println("batch  layer        ms     GFLOP/s  of reference");
            for (int batch : new int[] {250, 2000, 8000}) {
                NDArray x = m.randomUniform(0, 1, new Shape(batch, 784));
                NDArray[] in = {x, null, null};
                in[1] = Activation.relu(Linear.linear(in[0], w[0], b[0]).head());
                in[2] = Activation.relu(Linear.linear(in[1], w[1], b[1]).head());
                double flopsAll = 0;
                for (int l = 0; l < 3; l++) {
                    final int k = l;
                    double ms = medianMs(() -> Linear.linear(in[k], w[k], b[k]).head(), m);
                    double flops = 2.0 * batch * layers[l][0] * layers[l][1];
                    flopsAll += flops;
                    System.out.printf(Locale.ROOT, "%5d  fc%d %4d->%-4d %7.2f  %7.0f  %5.0f %%%n", batch, l + 1, layers[l][0], layers[l][1],
                            ms, flops / ms / 1e6, 100 * flops / ms / 1e6 / ref);
                }
                double fwd = medianMs(() -> {
                    NDArray h = Activation.relu(Linear.linear(x, w[0], b[0]).head());
                    h = Activation.relu(Linear.linear(h, w[1], b[1]).head());
                    return Linear.linear(h, w[2], b[2]).head().softmax(1);
                }, m);
                System.out.printf(Locale.ROOT, "%5d  forward        %7.2f  %7.0f  %5.0f %%%n", batch, fwd, flopsAll / fwd / 1e6,
                        100 * flopsAll / fwd / 1e6 / ref);
            }
        }
    }
}
