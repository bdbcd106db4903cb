package io.memaudit.common.model;

import ai.djl.ndarray.NDArray;

/**
 * What a model's single output holds for each image. Every score is defined on probabilities, so
 * each kind says how to get them: softmax of logits, the values themselves, or exp of log-probabilities.
 */
public enum OutputKind {
    LOGITS("logits"),
    PROBABILITIES("probabilities"),
    LOG_PROBABILITIES("log-probabilities");

    private final String wire;

    OutputKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Parses a wire name; null means the default, logits. */
    public static OutputKind parse(String name, String field) {
        if (name == null) {
            return LOGITS;
        }
        for (OutputKind k : values()) {
            if (k.wire.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException(field + " '" + name + "' is not logits, probabilities or log-probabilities");
    }

    /** Probabilities over the classes (axis 1) of a [batch, classes] output. */
    public NDArray toProbabilities(NDArray output) {
        return switch (this) {
            case LOGITS -> output.softmax(1);
            case PROBABILITIES -> output;
            case LOG_PROBABILITIES -> output.exp();
        };
    }
}
