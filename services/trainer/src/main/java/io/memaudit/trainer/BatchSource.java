package io.memaudit.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.memaudit.common.data.ImageSet;

import java.util.SplittableRandom;

/** Builds normalised mini-batches: canary images carry the feature; augmentation is optional. */
final class BatchSource {
    private static final long ORDER_SALT = 0x0DE5L;
    private final TrainingData data;
    private final Augmenter augmenter;
    private final int pixels;

    BatchSource(TrainingData data, boolean cnn, boolean augment) {
        this.data = data;
        ImageSet t = data.train();
        this.pixels = t.pixelsPerImage();
        this.augmenter = augment ? new Augmenter(t.channels(), t.height(), t.width(), cnn) : null;
    }

    int batchesPerEpoch(int batchSize) {
        return (data.train().size() + batchSize - 1) / batchSize;
    }

    /** The order of training images in an epoch; depends only on (seed, epoch), not on canaries. */
    int[] epochOrder(long seed, int epoch) {
        return TrainingData.permutation(data.train().size(), new SplittableRandom(seed ^ (ORDER_SALT * epoch)));
    }

    NDArray trainBatch(NDManager m, int[] order, int from, int to, SplittableRandom augRng) {
        ImageSet t = data.train();
        float[] buf = new float[(to - from) * pixels];
        for (int k = from; k < to; k++) {
            int off = (k - from) * pixels;
            data.trainImage(order[k], buf, off);
            if (augmenter != null) {
                augmenter.apply(buf, off, augRng);
            }
            data.normalisation().applyInPlace(buf, off, t.channels(), t.height(), t.width());
        }
        return m.create(buf, new Shape(to - from, t.channels(), t.height(), t.width()));
    }

    /** A normalised batch of {@code set}'s images {@code from..to-1} in their stored order (no augmentation). */
    NDArray evalBatch(NDManager m, ImageSet set, int from, int to) {
        float[] buf = new float[(to - from) * pixels];
        for (int k = from; k < to; k++) {
            int off = (k - from) * pixels;
            set.toUnitFloats(k, buf, off);
            data.normalisation().applyInPlace(buf, off, set.channels(), set.height(), set.width());
        }
        return m.create(buf, new Shape(to - from, set.channels(), set.height(), set.width()));
    }

    NDArray labels(NDManager m, ImageSet set, int[] order, int from, int to) {
        float[] y = new float[to - from];
        for (int k = from; k < to; k++) {
            y[k - from] = set.label(order == null ? k : order[k]);
        }
        return m.create(y);
    }
}
