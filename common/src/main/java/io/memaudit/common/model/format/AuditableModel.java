package io.memaudit.common.model.format;

import ai.djl.ndarray.NDArray;
import io.memaudit.common.model.PassSize;

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
     * Images per forward pass this model runs fastest at on its device, where that is known. The
     * built-in dense networks gain from the largest passes (the MLP's sequential audit ran 27–38 %
     * faster with its small blocks stacked); the built-in CNN ran slower on 2000-image passes than on
     * small ones (docs/PERFORMANCE.md); of a user's model nothing is known, so its passes stay as the
     * probes come.
     */
    default PassSize preferredPassSize() {
        return PassSize.UNKNOWN;
    }

    /** The engine that runs it, for score events: e.g. "MXNet 1.9.1 on cpu()". */
    String engine();

    @Override
    void close();
}
