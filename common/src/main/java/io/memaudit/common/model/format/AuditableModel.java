package io.memaudit.common.model.format;

import ai.djl.ndarray.NDArray;

import java.nio.file.Path;

/**
 * A loaded model the audit can run on probe batches, whatever its format. The scorer, the probes and
 * the features only ever see this interface.
 */
public interface AuditableModel extends AutoCloseable {
    /**
     * The model's raw output, shape [n, classes], for a batch of normalised images in NCHW order. The
     * result belongs to the batch's manager. A model expecting another layout transposes here.
     */
    NDArray forward(NDArray nchwBatch);

    /**
     * Replaces the weights by another checkpoint's of the same spec, checking the file against
     * {@code sha256} (null = not checked). On failure the model must not be used again.
     */
    void reload(Path file, String sha256);

    /**
     * Whether blocks of probes smaller than a chunk (a sequential audit's) should be stacked, several
     * variants to one forward pass. That pays where a pass costs much more than its images (a small
     * dense network: the MLP's sequential audit ran 27–38 % faster stacked); for the built-in CNN,
     * passes of 2000 images ran slower than passes of 250 (its sequential audit took 55–63 s stacked
     * against 26–29 s), and of a user's model nothing is known. So: no unless a format knows better.
     */
    default boolean stacksSmallBlocks() {
        return false;
    }

    /** The engine that runs it, for score events: e.g. "MXNet 1.9.1 on cpu()". */
    String engine();

    @Override
    void close();
}
