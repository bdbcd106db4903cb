package io.memaudit.worker;

import io.memaudit.common.data.DataDirectory;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.data.ProbeSetSpec;
import io.memaudit.common.data.ProbeSets;
import io.memaudit.common.scoring.ProbeProvider;

/** Probe images from the data sets in the worker's data directory (they must have been fetched). */
final class DataSetProbes implements ProbeProvider {
    private final DataDirectory dir;

    DataSetProbes(DataDirectory dir) {
        this.dir = dir;
    }

    @Override
    public ImageSet probes(String probeSet, int n, long seed) {
        ProbeSetSpec spec = ProbeSets.preset(probeSet);
        return ProbeSets.build(spec, dir, n, seed);
    }
}
