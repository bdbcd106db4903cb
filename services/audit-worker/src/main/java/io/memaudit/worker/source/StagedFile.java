package io.memaudit.worker.source;

import java.io.IOException;
import io.memaudit.common.util.FileTrees;

import java.nio.file.Path;

/**
 * A model file copied into the worker's staging directory: private to this audit, its size and SHA-256
 * measured on the one read of the source. Closing it deletes the copy.
 *
 * @param file     the private copy, named like the source (formats look at the name)
 * @param origin   where it came from, as the user named it (for messages)
 * @param bytes    its size
 * @param sha256   its SHA-256, lower-case hex
 */
public record StagedFile(Path file, String origin, long bytes, String sha256) implements AutoCloseable {
    @Override
    public void close() {
        deleteQuietly(file.getParent());
    }

    /** Removes a copy's directory; a leftover is removed by the next start's {@link Staging}. */
    static void deleteQuietly(Path stageDir) {
        try {
            FileTrees.deleteRecursively(stageDir);
        } catch (IOException e) {
            // best effort, see above
        }
    }
}
