package io.memaudit.cli;

import io.memaudit.common.data.DataDirectory;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.data.ProbeSetSpec;
import io.memaudit.common.data.ProbeSets;
import io.memaudit.common.scoring.ProbeProvider;

/** Probe images from the real data sets, fetched on first use. */
final class DatasetProbes implements ProbeProvider {
    private final DataDirectory dir;

    DatasetProbes(DataDirectory dir) {
        this.dir = dir;
    }

    @Override
    public ImageSet probes(String probeSet, int n, long seed) {
        ProbeSetSpec spec = ProbeSets.preset(probeSet);
        DatasetsCommand.ensure(dir, spec.source().id());
        return ProbeSets.build(spec, dir, n, seed);
    }
}
