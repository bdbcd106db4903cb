package io.memaudit.common.events;

/**
 * Published to {@code memaudit.checkpoints.dlq} for an event that could not be scored: the original
 * record, unchanged, and why. Nothing is dropped silently.
 *
 * @param original where the record came from and its bytes (UTF-8 text, or base64 when not valid UTF-8)
 * @param error    a machine-readable kind and a message naming the field, file or value at fault
 */
public record DeadLetter(int schemaVersion, Original original, Error error, String workerId, String failedAt) {
    public static final int SCHEMA_VERSION = 1;

    public record Original(String topic, int partition, long offset, String key, String value, String valueEncoding) { }

    public record Error(String kind, String message) { }
}
