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
 * @param sha256    the file's expected SHA-256, checked on load (unless {@code verified}); null = not checked
 * @param spec      how to run the model
 * @param feature   the feature its trainer planted, when it says so (metadata.json); may be null
 * @param verified  the file was hashed as it was written to a private place (the worker's staging) and
 *                  matched {@code sha256}: loading does not read it a second time to hash it
 */
public record Checkpoint(String runId, int epoch, long step, Path modelFile, String sha256, ModelSpec spec,
                         CheckpointMetadata.FeatureRef feature, boolean verified) {
    public Checkpoint {
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(spec, "spec");
    }

    /** A checkpoint whose file is checked against {@code sha256} on load. */
    public Checkpoint(String runId, int epoch, long step, Path modelFile, String sha256, ModelSpec spec,
                      CheckpointMetadata.FeatureRef feature) {
        this(runId, epoch, step, modelFile, sha256, spec, feature, false);
    }

    /** The SHA-256 the load must check, or null when there is none or it was verified already. */
    public String sha256ToCheck() {
        return verified ? null : sha256;
    }

    /** A reference-trainer checkpoint directory described by its metadata.json. */
    public static Checkpoint of(Path dir, CheckpointMetadata m) {
        ModelSpec spec = ModelSpec.djl(m.architecture(), m.inputShape(), m.classes(), m.normalisationValue());
        return new Checkpoint(m.runId(), m.epoch(), m.step(), dir.resolve(m.paramsFile()), m.paramsSha256(), spec,
                m.feature());
    }
}
