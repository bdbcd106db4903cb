import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.memaudit.common.model.Architecture;

import java.util.*;

/**
 * The built-in CNN's forward rate against the images per pass, 8000 random images per measurement,
 * in one run: every pass size once per round, the order rotated each round (so that no size always
 * runs first or last while the machine drifts), then the median per size and, per round, each
 * size's speed-up over 2000 images per pass (the scorer's default chunk). Run from the repository
 * root after a build:
 *
 *   java -Dai.djl.offline=true -cp services/cli/target/memaudit.jar docs/perf/CnnChunkRates.java [ROUNDS]
 *
 * This is what Architecture.CNN_CPU_PASS was chosen from (docs/PERFORMANCE.md).
 */
public class CnnChunkRates {
    static final int IMAGES = 8000;
    static final int[] SIZES = {64, 125, 250, 500, 2000};

    static double imagesPerSecond(Block b, NDManager m, NDArray x, int pass) {
        long t0 = System.nanoTime();
        for (int from = 0; from < IMAGES; from += pass) {
            try (NDManager s = m.newSubManager()) {
                NDArray part = x.get(new ai.djl.ndarray.index.NDIndex("{}:{}", from, Math.min(from + pass, IMAGES)));
                part.attach(s);
                NDArray y = b.forward(new ParameterStore(s, false), new NDList(part), false).singletonOrThrow();
                y.attach(s);
                y.sum().getFloat();
            }
        }
        return IMAGES / ((System.nanoTime() - t0) / 1e9);
    }

    public static void main(String[] a) {
        int rounds = a.length > 0 ? Integer.parseInt(a[0]) : 5;
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = Architecture.CNN.newBlock(10);
            b.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            NDArray x = m.randomUniform(0, 1, new Shape(IMAGES, 3, 32, 32));
            imagesPerSecond(b, m, x, 500); // warm-up
            Map<Integer, List<Double>> rates = new TreeMap<>();
            for (int round = 0; round < rounds; round++) {
                Map<Integer, Double> thisRound = new TreeMap<>();
                for (int i = 0; i < SIZES.length; i++) {
                    int pass = SIZES[(i + round) % SIZES.length];
                    double r = imagesPerSecond(b, m, x, pass);
                    thisRound.put(pass, r);
                    rates.computeIfAbsent(pass, k -> new ArrayList<>()).add(r);
                }
                StringBuilder line = new StringBuilder("round " + round + ":");
                thisRound.forEach((pass, r) -> line.append(String.format(Locale.ROOT, "  %d: %.0f/s (%.2fx)", pass, r,
                        r / thisRound.get(2000))));
                System.out.println(line);
            }
            System.out.println("median images/s per pass size, and its range over the rounds:");
            rates.forEach((pass, rs) -> {
                List<Double> s = new ArrayList<>(rs);
                Collections.sort(s);
                double median = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
                System.out.printf(Locale.ROOT, "  %5d images per pass: %.0f (%.0f-%.0f)%n", pass, median, s.get(0), s.get(s.size() - 1));
            });
        }
    }
}
