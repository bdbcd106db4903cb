package io.memaudit.worker;

import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.feature.FeatureSpec;
import io.memaudit.common.model.Architecture;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.Normalisation;

import java.nio.file.Path;
import java.util.List;

/** Turns a validated checkpoint event into what the scorer reads: checkpoint metadata and feature specs. */
final class EventMapping {
    private EventMapping() { }

    static CheckpointMetadata metadata(CheckpointEvent e, CheckpointLocator.Located where) {
        CheckpointEvent.ModelRef m = e.model();
        if (!"djl".equals(m.format())) {
            throw new EventRejected(ErrorKind.UNSUPPORTED_FORMAT, "model.format '" + m.format()
                    + "' is not supported by this worker (supported: djl)");
        }
        try {
            Architecture.parse(m.architecture());
        } catch (IllegalArgumentException ex) {
            throw new EventRejected(ErrorKind.UNKNOWN_ARCHITECTURE, "model.architecture: " + ex.getMessage());
        }
        Normalisation norm;
        try {
            norm = new Normalisation(m.normalisation().mean(), m.normalisation().std());
        } catch (IllegalArgumentException ex) {
            throw new EventRejected(ErrorKind.SCHEMA_VIOLATION, "model.normalisation: " + ex.getMessage());
        }
        if (norm.channels() != m.inputShape()[0]) {
            throw new EventRejected(ErrorKind.SCHEMA_VIOLATION, "model.normalisation has " + norm.channels()
                    + " channel(s) but model.inputShape has " + m.inputShape()[0]);
        }
        return new CheckpointMetadata(CheckpointMetadata.FORMAT, e.runId(), null, m.architecture(), null,
                m.inputShape(), m.classes(), CheckpointMetadata.NormalisationJson.of(norm), null, List.of(), List.of(),
                0, e.epoch(), e.step(), null, where.paramsFile(), m.sha256(), e.createdAt());
    }

    /** The FeatureSpec string of an event feature; image URIs are resolved inside the allowed roots. */
    static String featureSpec(CheckpointEvent.Feature f, CheckpointLocator locator, int index) {
        String at = "audit.features[" + index + "]";
        int[] pos = f.position();
        String where = pos == null ? "" : "@" + pos[0] + "," + pos[1];
        String spec = switch (f.kind()) {
            case "glyph" -> "glyph:" + f.letter() + where;
            case "text" -> "text:" + f.text() + (f.font() == null ? "" : ";font=" + f.font())
                    + (f.fontSize() == null ? "" : ";size=" + f.fontSize()) + (Boolean.TRUE.equals(f.bold()) ? ";bold" : "")
                    + (Boolean.TRUE.equals(f.binary()) ? ";binary" : "") + where;
            case "image" -> image(f, locator, at) + where;
            default -> throw new EventRejected(ErrorKind.SCHEMA_VIOLATION, at + ".kind '" + f.kind() + "' is not glyph, text or image");
        };
        try {
            FeatureSpec.parse(spec);
        } catch (IllegalArgumentException ex) {
            throw new EventRejected(ErrorKind.FEATURE_INVALID, at + ": " + ex.getMessage());
        }
        return spec;
    }

    private static String image(CheckpointEvent.Feature f, CheckpointLocator locator, String at) {
        Path image = locator.locateFile(f.imageUri(), at + ".imageUri");
        String s = "image:" + image;
        if (f.maskUri() != null) {
            s += ";mask=" + locator.locateFile(f.maskUri(), at + ".maskUri");
        }
        return s;
    }
}
