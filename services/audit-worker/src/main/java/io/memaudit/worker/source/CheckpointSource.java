package io.memaudit.worker.source;

import io.memaudit.common.events.AuditException;

import java.net.URI;

/**
 * Where model files named by events come from: one implementation per URI scheme, registered in
 * {@link CheckpointSources}. A source copies the object into the worker's private staging directory
 * in one read, counting its bytes against the size limit and hashing it on the way, so that what is
 * scored is exactly what was hashed and nobody can change it between the check and the load.
 */
public interface CheckpointSource {
    /** The URI scheme this source serves ({@code file}, {@code s3}, …). */
    String scheme();

    /**
     * Copies the model named by {@code uri} into {@code into}.
     *
     * @param field           the event field the URI came from, for error messages (e.g. {@code model.uri})
     * @param defaultFileName the model file to take when the URI names a directory (or a prefix)
     * @throws AuditException with the dead-letter kind: missing, not allowed, too large, unreadable
     */
    StagedFile stage(URI uri, String field, String defaultFileName, Staging into);
}
