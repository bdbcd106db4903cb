package io.memaudit.common.data;

/**
 * Receives progress while a data set is fetched, so that a command line can draw a bar.
 *
 * <p>Stages reported by {@link DatasetFetcher}: {@code "download"} (npm is running; done and
 * total are -1), {@code "verify"} (bytes of the tarball hashed so far, of its size),
 * {@code "unpack"} (compressed bytes of the tarball consumed so far, of its size; reported after
 * each entry and every few MiB inside large entries) and {@code "done"}.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = (stage, done, total) -> { };

    /**
     * @param stage short stage name
     * @param done  units done so far, or -1 when unknown
     * @param total units in all, or -1 when unknown
     */
    void progress(String stage, long done, long total);
}
