package io.memaudit.trainer;

import java.nio.file.Path;
import java.util.List;

/**
 * What a training run produced.
 *
 * @param runId          run identifier
 * @param checkpoints    checkpoint directories in epoch order
 * @param bestCheckpoint the checkpoint with the lowest validation loss (the paper's headline model)
 * @param bestEpoch      its epoch
 * @param testAccuracy   accuracy of the best checkpoint on the test split
 * @param stoppedEarly   whether early stopping ended training before the last epoch
 * @param canaryIndices  training indices that carried the feature
 * @param seconds        wall time of the whole run
 */
public record TrainResult(String runId, List<Path> checkpoints, Path bestCheckpoint, int bestEpoch,
                          double testAccuracy, boolean stoppedEarly, List<Integer> canaryIndices, double seconds) { }
