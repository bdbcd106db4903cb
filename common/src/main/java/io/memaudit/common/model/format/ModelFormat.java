package io.memaudit.common.model.format;

import io.memaudit.common.events.AuditException;
import ai.djl.ndarray.NDManager;
import io.memaudit.common.model.ModelSpec;

import java.nio.file.Path;

/**
 * One way of storing a model (DJL parameters of a built-in network, an ONNX file, ...). Adding a
 * format is one implementation plus its registration in {@link ModelFormats}.
 */
public interface ModelFormat {
    /** The name in {@code model.format} and {@code --format}, e.g. {@code onnx}. */
    String name();

    /** The model file looked for when a checkpoint URI names a directory, e.g. {@code model.onnx}. */
    String defaultFileName();

    /**
     * Checks what can be checked before any file is read (e.g. a known architecture).
     *
     * @throws io.memaudit.common.model.AuditException with the kind the user sees
     */
    void validate(ModelSpec spec);

    /**
     * Loads the model in {@code file}, verifying it against {@code sha256} (null = not checked) and
     * against what {@code spec} declares (input and output shapes).
     *
     * @throws io.memaudit.common.model.AuditException with the kind the user sees
     */
    AuditableModel open(ModelSpec spec, Path file, String sha256, NDManager manager);

    /**
     * Models with equal keys can be {@link AuditableModel#reload reloaded} from each other's files
     * instead of being built again.
     */
    default String reuseKey(ModelSpec spec) {
        return spec.toString();
    }
}
