package io.memaudit.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import io.memaudit.common.data.ImageSet;

import java.util.function.Function;

/** Mean cross-entropy loss and accuracy of a network in inference mode on a labelled set. */
final class Evaluation {
    private static final int BATCH = 1000;

    private Evaluation() { }

    /**
     * @param forward inference-mode forward pass (e.g. {@code trainer::evaluate})
     * @param manager parent of the per-batch scopes
     * @return {loss, accuracy}
     */
    static double[] evaluate(Function<NDList, NDList> forward, NDManager manager, Loss loss, BatchSource batches,
                             ImageSet set) {
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < set.size(); from += BATCH) {
            int to = Math.min(from + BATCH, set.size());
            try (NDManager m = manager.newSubManager()) {
                NDList x = new NDList(batches.evalBatch(m, set, from, to));
                NDArray y = batches.labels(m, set, null, from, to);
                NDList pred = forward.apply(x);
                lossSum += loss.evaluate(new NDList(y), pred).getFloat() * (to - from);
                correct += pred.singletonOrThrow().argMax(1).toType(DataType.INT32, false)
                        .eq(y.toType(DataType.INT32, false)).sum().getLong();
            }
        }
        return new double[] {lossSum / set.size(), correct / (double) set.size()};
    }
}
