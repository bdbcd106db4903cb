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
     * @param defaultFileName the model file to take when the URI names a directory (or a prefix); null
     *                        when the URI must name a file itself (feature images and masks)
     * @throws AuditException with the dead-letter kind: missing, not allowed, too large, unreadable
     */
    StagedFile stage(URI uri, String field, String defaultFileName, Staging into);

    /**
     * A local directory holding the image files of the directory {@code uri} names (a user probe set),
     * valid while this worker runs: the directory itself where it is already local and confined, else
     * a copy kept by {@link Staging#keepDirectory} under its content's identity.
     *
     * @throws AuditException with the dead-letter kind; by default, that this scheme has no directories
     */
    default java.nio.file.Path stageDirectory(URI uri, String field, Staging into) {
        throw new AuditException(io.memaudit.common.events.ErrorKind.UNKNOWN_PROBE_SET, field + " '" + uri + "': a "
                + scheme() + ": URI cannot name a directory of probe images (this source cannot list one; use file: or s3:)");
    }
}
