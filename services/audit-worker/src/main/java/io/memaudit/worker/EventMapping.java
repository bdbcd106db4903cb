package io.memaudit.worker;

import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.feature.FeatureSpec;
import io.memaudit.common.events.AuditException;
import io.memaudit.common.model.InputLayout;
import io.memaudit.common.model.ModelSpec;
import io.memaudit.common.model.Normalisation;
import io.memaudit.common.model.OutputKind;
import io.memaudit.common.model.format.ModelFormat;
import io.memaudit.common.model.format.ModelFormats;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.BiFunction;

/** Turns a validated checkpoint event into what the scorer reads: the model spec and feature specs. */
final class EventMapping {
    private EventMapping() { }

    /** How to run the event's model, checked as far as it can be without reading a file. */
    static ModelSpec spec(CheckpointEvent e) {
        CheckpointEvent.ModelRef m = e.model();
        ModelFormat format;
        try {
            format = ModelFormats.of(m.format());
        } catch (AuditException ex) {
            throw new AuditException(ex.kind(), ex.getMessage() + " by this worker");
        }
        Normalisation norm;
        try {
            norm = new Normalisation(m.normalisation().mean(), m.normalisation().std());
        } catch (IllegalArgumentException ex) {
            throw new AuditException(ErrorKind.SCHEMA_VIOLATION, "model.normalisation: " + ex.getMessage());
        }
        if (norm.channels() != m.inputShape()[0]) {
            throw new AuditException(ErrorKind.SCHEMA_VIOLATION, "model.normalisation has " + norm.channels()
                    + " channel(s) but model.inputShape has " + m.inputShape()[0]);
        }
        ModelSpec spec;
        try {
            spec = new ModelSpec(m.format(), m.architecture(), m.inputShape(), m.classes(), norm,
                    InputLayout.parse(m.layout(), "model.layout"), OutputKind.parse(m.output(), "model.output"));
        } catch (IllegalArgumentException ex) {
            throw new AuditException(ErrorKind.SCHEMA_VIOLATION, "model: " + ex.getMessage());
        }
        format.validate(spec);
        return spec;
    }

    /**
     * The FeatureSpec string of an event feature. {@code files} turns an image or mask URI (and the
     * event field it came from) into the path the spec names: the local copy to score, or
     * {@link #named} for the feature's published id.
     */
    static String featureSpec(CheckpointEvent.Feature f, BiFunction<String, String, String> files, int index) {
        String at = "audit.features[" + index + "]";
        int[] pos = f.position();
        String where = pos == null ? "" : "@" + pos[0] + "," + pos[1];
        String spec = switch (f.kind()) {
            case "glyph" -> "glyph:" + f.letter() + where;
            case "text" -> "text:" + f.text() + (f.font() == null ? "" : ";font=" + f.font())
                    + (f.fontSize() == null ? "" : ";size=" + f.fontSize()) + (Boolean.TRUE.equals(f.bold()) ? ";bold" : "")
                    + (Boolean.TRUE.equals(f.binary()) ? ";binary" : "") + where;
            case "image" -> image(f, files, at) + where;
            default -> throw new AuditException(ErrorKind.SCHEMA_VIOLATION, at + ".kind '" + f.kind() + "' is not glyph, text or image");
        };
        try {
            FeatureSpec.parse(spec);
        } catch (IllegalArgumentException ex) {
            throw new AuditException(ErrorKind.FEATURE_INVALID, at + ": " + ex.getMessage());
        }
        return spec;
    }

    private static String image(CheckpointEvent.Feature f, BiFunction<String, String, String> files, String at) {
        String s = "image:" + files.apply(f.imageUri(), at + ".imageUri");
        if (f.maskUri() != null) {
            s += ";mask=" + files.apply(f.maskUri(), at + ".maskUri");
        }
        return s;
    }

    /**
     * How a feature file is named in its id: a {@code file:} URI by its path (as memaudit 0.1 did),
     * any other by the URI itself; never by the worker's local copy, so the id is the same on every
     * worker and every audit.
     */
    static String named(String uri, String field) {
        try {
            URI u = new URI(uri);
            if ("file".equalsIgnoreCase(u.getScheme())) {
                return Path.of(new URI("file", null, u.getPath(), null)).normalize().toString();
            }
        } catch (Exception e) {
            // not a file URI the worker could read either; staging has already refused it
        }
        return uri;
    }
}
