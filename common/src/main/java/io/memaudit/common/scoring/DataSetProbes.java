package io.memaudit.common.scoring;

import io.memaudit.common.data.DataDirectory;
import io.memaudit.common.data.DatasetName;
import io.memaudit.common.data.ImageDirectory;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.data.ProbeSetSpec;
import io.memaudit.common.data.ProbeSets;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Probe images by name: a preset built from the data sets in a data directory, converted to the
 * model's shape from the preset's source images (one resampling, not two), or {@code dir:PATH}, a
 * directory of the user's PNG/JPEG images.
 */
public final class DataSetProbes implements ProbeProvider {
    /** Prefix of a user probe set: a directory of images. */
    public static final String DIR_PREFIX = "dir:";

    private final DataDirectory dir;
    private final Consumer<DatasetName> beforeUse;
    private final ImageDirectory.Cache directories = new ImageDirectory.Cache(2);

    /**
     * @param beforeUse called with the source data set before each build (the CLI fetches a missing
     *                  one there; the worker passes a no-op and reports a missing set as an error)
     */
    public DataSetProbes(DataDirectory dir, Consumer<DatasetName> beforeUse) {
        this.dir = dir;
        this.beforeUse = beforeUse;
    }

    @Override
    public ImageSet probes(String probeSet, int n, long seed, int[] shape) {
        if (probeSet.startsWith(DIR_PREFIX)) {
            Path images = Path.of(probeSet.substring(DIR_PREFIX.length()));
            return ProbeSets.sample(directories.load(images, shape), n, seed);
        }
        ProbeSetSpec preset = ProbeSets.preset(probeSet);
        ProbeSetSpec spec = preset.withShape(shape[0], shape[1], shape[2]);
        beforeUse.accept(spec.source());
        return ProbeSets.build(spec, dir, n, seed);
    }
}
