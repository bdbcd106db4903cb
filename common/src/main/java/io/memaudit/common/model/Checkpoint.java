package io.memaudit.common.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One checkpoint to audit, whatever wrote it: the local model file, how to run it, and where it sits in
 * its training run.
 *
 * @param runId     training run
 * @param epoch     epoch
 * @param step      optimiser step
 * @param modelFile the local file of the model (DJL parameters, an ONNX model, ...)
 * @param sha256    the file's expected SHA-256, checked on load; null = not checked
 * @param spec      how to run the model
 * @param feature   the feature its trainer planted, when it says so (metadata.json); may be null
 */
public record Checkpoint(String runId, int epoch, long step, Path modelFile, String sha256, ModelSpec spec,
                         CheckpointMetadata.FeatureRef feature) {
    public Checkpoint {
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(spec, "spec");
    }

    /** A reference-trainer checkpoint directory described by its metadata.json. */
    public static Checkpoint of(Path dir, CheckpointMetadata m) {
        ModelSpec spec = ModelSpec.djl(m.architecture(), m.inputShape(), m.classes(), m.normalisationValue());
        return new Checkpoint(m.runId(), m.epoch(), m.step(), dir.resolve(m.paramsFile()), m.paramsSha256(), spec,
                m.feature());
    }
}
