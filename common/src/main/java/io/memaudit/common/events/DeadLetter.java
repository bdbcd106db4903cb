package io.memaudit.common.events;

/**
 * Published to {@code memaudit.checkpoints.dlq} for an event that could not be scored: the original
 * record (unchanged, or its first bytes when it is larger than the worker's limit) and why. Nothing
 * is dropped silently.
 *
 * @param original where the record came from and its bytes (UTF-8 text, or base64 when not valid UTF-8)
 * @param error    a machine-readable kind and a message naming the field, file or value at fault
 */
public record DeadLetter(int schemaVersion, Original original, Error error, String workerId, String failedAt) {
    public static final int SCHEMA_VERSION = 1;

    /**
     * @param value     the record's bytes as text or base64, cut to the worker's limit when {@code truncated}
     * @param size      the whole value's length in bytes
     * @param sha256    the whole value's SHA-256, so a truncated original can still be matched
     * @param truncated whether {@code value} holds only the first bytes
     */
    public record Original(String topic, int partition, long offset, String key, String value, String valueEncoding,
                           Long size, String sha256, Boolean truncated) { }

    public record Error(String kind, String message) { }
}
