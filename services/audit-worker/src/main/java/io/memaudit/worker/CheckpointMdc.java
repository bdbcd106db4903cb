package io.memaudit.worker;

import org.slf4j.MDC;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checkpoint being handled, in the logging context (SLF4J MDC) of the thread handling it: every
 * line logged meanwhile carries {@code runId}, {@code step} and, while one feature is scored,
 * {@code feature} (the {@code mdc} object of a JSON log line). Close restores what the thread had before,
 * so that nothing leaks into the next event on the same thread.
 * <pre>{@code try (CheckpointMdc ignored = CheckpointMdc.of(runId, step)) { ... } }</pre>
 */
final class CheckpointMdc implements AutoCloseable {
    static final String RUN_ID = "runId";
    static final String STEP = "step";
    static final String FEATURE = "feature";

    /** The values these keys had before, to put back (null: absent). */
    private final Map<String, String> previous = new LinkedHashMap<>();

    private CheckpointMdc() { }

    /** Run id and step; a null value leaves its key unset. */
    static CheckpointMdc of(String runId, Long step) {
        return new CheckpointMdc().put(RUN_ID, runId).put(STEP, step == null ? null : String.valueOf(step));
    }

    /** The feature scored now, beside the run and step already set. */
    static CheckpointMdc feature(String featureId) {
        return new CheckpointMdc().put(FEATURE, featureId);
    }

    private CheckpointMdc put(String key, String value) {
        if (value != null) {
            previous.put(key, MDC.get(key));
            MDC.put(key, value);
        }
        return this;
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
