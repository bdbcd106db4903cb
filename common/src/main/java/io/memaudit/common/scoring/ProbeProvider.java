package io.memaudit.common.scoring;

import io.memaudit.common.data.ImageSet;

/** Supplies N probe images of a named probe set, chosen with a seed (real data sets, or generated in tests). */
@FunctionalInterface
public interface ProbeProvider {
    ImageSet probes(String probeSet, int n, long seed);
}
