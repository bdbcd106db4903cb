package io.memaudit.common.scoring;

import io.memaudit.common.data.DataDirectory;
import io.memaudit.common.data.DatasetName;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.data.ProbeSetSpec;
import io.memaudit.common.data.ProbeSets;

import java.util.function.Consumer;

/** Probe images built from the data sets in a data directory, by preset name. */
public final class DataSetProbes implements ProbeProvider {
    private final DataDirectory dir;
    private final Consumer<DatasetName> beforeUse;

    /**
     * @param beforeUse called with the source data set before each build (the CLI fetches a missing
     *                  one there; the worker passes a no-op and reports a missing set as an error)
     */
    public DataSetProbes(DataDirectory dir, Consumer<DatasetName> beforeUse) {
        this.dir = dir;
        this.beforeUse = beforeUse;
    }

    @Override
    public ImageSet probes(String probeSet, int n, long seed) {
        ProbeSetSpec spec = ProbeSets.preset(probeSet);
        beforeUse.accept(spec.source());
        return ProbeSets.build(spec, dir, n, seed);
    }
}
