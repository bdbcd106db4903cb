package io.memaudit.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.Trainer;
import io.memaudit.common.data.ImageSet;

/** Mean cross-entropy loss and accuracy of the current parameters on a labelled set (inference mode). */
final class Evaluation {
    private static final int BATCH = 1000;

    private Evaluation() { }

    /** @return {loss, accuracy} */
    static double[] evaluate(Trainer trainer, BatchSource batches, ImageSet set) {
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < set.size(); from += BATCH) {
            int to = Math.min(from + BATCH, set.size());
            try (NDManager m = trainer.getManager().newSubManager()) {
                NDList x = new NDList(batches.evalBatch(m, set, from, to));
                NDArray y = batches.labels(m, set, null, from, to);
                NDList pred = trainer.evaluate(x);
                lossSum += trainer.getLoss().evaluate(new NDList(y), pred).getFloat() * (to - from);
                correct += pred.singletonOrThrow().argMax(1).toType(DataType.INT32, false)
                        .eq(y.toType(DataType.INT32, false)).sum().getLong();
            }
        }
        return new double[] {lossSum / set.size(), correct / (double) set.size()};
    }
}
