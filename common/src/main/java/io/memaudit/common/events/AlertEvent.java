package io.memaudit.common.events;

import java.util.Map;

/**
 * Published to {@code memaudit.alerts} (key = runId) by the trend detector.
 *
 * @param kind    memorised | threshold | rising | verdict-change
 * @param values  the numbers that triggered it (e.g. mKl, threshold, previous verdict)
 * @param message one line for people
 */
public record AlertEvent(int schemaVersion, String runId, String featureId, long step, int epoch, String kind,
                         Map<String, Object> values, String message, String createdAt) {
    public static final int SCHEMA_VERSION = 1;
}
