import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.memaudit.common.model.Architecture;

/**
 * The built-in CNN's forward rate against the images per pass (memaudit.scoring.chunk), 8000 random
 * images, two rounds, in one run. Run from the repository root after a build:
 *
 *   java -Dai.djl.offline=true -cp services/cli/target/memaudit.jar docs/perf/CnnChunkRates.java
 */
public class CnnChunkRates {
    public static void main(String[] a) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = Architecture.CNN.newBlock(10);
            b.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            NDArray x = m.randomUniform(0, 1, new Shape(8000, 3, 32, 32));
            for (int round = 0; round < 2; round++) {
                for (int chunk : new int[] {125, 250, 500, 1000, 2000}) {
                    long t0 = System.nanoTime();
                    for (int from = 0; from < 8000; from += chunk) {
                        try (NDManager s = m.newSubManager()) {
                            NDArray part = x.get(new ai.djl.ndarray.index.NDIndex("{}:{}", from, from + chunk));
                            part.attach(s);
                            NDArray y = b.forward(new ParameterStore(s, false), new NDList(part), false).singletonOrThrow();
                            y.attach(s);
                            y.sum().getFloat();
                        }
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("round %d chunk %5d: 8000 images in %.2f s = %.0f images/s%n", round, chunk, s, 8000 / s);
                }
            }
        }
    }
}
