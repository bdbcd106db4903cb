package io.memaudit.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.memaudit.common.data.ImageSet;

import java.util.function.Function;

/** Mean cross-entropy loss and accuracy of a model on a labelled set (inference mode). */
final class Evaluation {
    private static final int BATCH = 1000;

    private Evaluation() { }

    /** The trainer's current parameters. @return {loss, accuracy} */
    static double[] evaluate(Trainer trainer, BatchSource batches, ImageSet set) {
        return evaluate(trainer.getManager(), trainer.getLoss(), trainer::evaluate, batches, set);
    }

    /**
     * A block outside any trainer (e.g. a reloaded checkpoint): its own parameter store, so the
     * trainer's, which still points at the arrays a reload frees, is never used.
     */
    static double[] evaluate(Block block, NDManager manager, Loss loss, BatchSource batches, ImageSet set) {
        ParameterStore ps = new ParameterStore(manager, false);
        return evaluate(manager, loss, x -> block.forward(ps, x, false), batches, set);
    }

    private static double[] evaluate(NDManager parent, Loss loss, Function<NDList, NDList> forward,
                                     BatchSource batches, ImageSet set) {
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < set.size(); from += BATCH) {
            int to = Math.min(from + BATCH, set.size());
            try (NDManager m = parent.newSubManager()) {
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
