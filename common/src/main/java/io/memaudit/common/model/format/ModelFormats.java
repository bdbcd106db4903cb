package io.memaudit.common.model.format;

import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.events.AuditException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The registry of model formats by name: {@code djl} and {@code onnx} are built in. */
public final class ModelFormats {
    private static final Map<String, ModelFormat> FORMATS = new ConcurrentHashMap<>();

    static {
        register(new DjlParamsFormat());
        register(new OnnxFormat());
    }

    private ModelFormats() { }

    /** Adds (or replaces) a format under its name. */
    public static void register(ModelFormat format) {
        FORMATS.put(format.name(), format);
    }

    /** The format called {@code name}; an unknown name is an {@code unsupported-format} error. */
    public static ModelFormat of(String name) {
        ModelFormat f = name == null ? null : FORMATS.get(name);
        if (f == null) {
            throw new AuditException(ErrorKind.UNSUPPORTED_FORMAT, "model.format '" + name
                    + "' is not supported (supported: " + names() + ")");
        }
        return f;
    }

    /** The registered names, sorted and comma-separated. */
    public static String names() {
        return String.join(", ", FORMATS.keySet().stream().sorted().toList());
    }
}
