package io.memaudit.common.events;

import io.memaudit.common.feature.FeatureSpec;
import io.memaudit.common.model.CheckpointMetadata;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds checkpoint events from checkpoints on disk (the reference trainer, {@code memaudit publish}). */
public final class CheckpointEvents {
    private CheckpointEvents() { }

    /**
     * @param dir      the checkpoint directory (its {@code model.params} is what the event points to)
     * @param features feature specs to audit; labels are attached when the metadata names the same feature
     */
    public static CheckpointEvent fromCheckpoint(Path dir, CheckpointMetadata m, List<String> features, String probeSet,
                                                 int probes) {
        CheckpointEvent.ModelRef model = new CheckpointEvent.ModelRef(dir.toAbsolutePath().normalize().toUri().toString(),
                "djl", m.architecture(), m.inputShape(), null, null, m.classes(),
                new CheckpointEvent.Normalisation(m.normalisation().mean(), m.normalisation().std()), m.paramsSha256());
        List<CheckpointEvent.Feature> fs = features.stream().map(spec -> feature(spec, m)).toList();
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (m.metrics() != null) {
            put(metrics, "loss", m.metrics().trainLoss());
            put(metrics, "accuracy", m.metrics().trainAccuracy());
            put(metrics, "valLoss", m.metrics().valLoss());
            put(metrics, "valAccuracy", m.metrics().valAccuracy());
        }
        return new CheckpointEvent(CheckpointEvent.SCHEMA_VERSION, m.runId(), m.step(), m.epoch(), m.createdAt(), model,
                new CheckpointEvent.Audit(fs, probeSet, probes, null), metrics.isEmpty() ? null : metrics); // K: the worker's default
    }

    private static void put(Map<String, Double> m, String key, Double v) {
        if (v != null && Double.isFinite(v)) {
            m.put(key, v);
        }
    }

    private static int fontSize(FeatureSpec spec) {
        float size = spec.style().size();
        if (size != Math.rint(size)) {
            throw new IllegalArgumentException("feature " + spec.toSpecString() + ": events carry whole font sizes, got " + size);
        }
        return (int) size;
    }

    /** The event form of a feature spec; the label comes from the metadata when it names this feature. */
    public static CheckpointEvent.Feature feature(String specString, CheckpointMetadata m) {
        FeatureSpec spec = FeatureSpec.parse(specString);
        int[] shape = m.inputShape();
        var resolved = spec.resolve(shape[1], shape[2]);
        Integer label = m.feature() != null && resolved.id().equals(m.feature().id()) ? m.feature().label() : null;
        int[] pos = {resolved.row(), resolved.col()};
        return switch (spec.kind()) {
            case GLYPH -> new CheckpointEvent.Feature(resolved.id(), "glyph", String.valueOf(spec.letter()), null, null, null,
                    null, null, null, null, pos, label, null);
            case TEXT -> new CheckpointEvent.Feature(resolved.id(), "text", null, spec.text(), spec.style().font(),
                    fontSize(spec), spec.style().bold(), spec.style().binary(), null, null, pos, label, null);
            case IMAGE -> new CheckpointEvent.Feature(resolved.id(), "image", null, null, null, null, null, null,
                    Path.of(spec.imageUri()).toAbsolutePath().toUri().toString(),
                    spec.maskUri() == null ? null : Path.of(spec.maskUri()).toAbsolutePath().toUri().toString(), pos, label, null);
        };
    }
}
