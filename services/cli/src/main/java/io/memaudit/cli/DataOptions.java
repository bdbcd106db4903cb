package io.memaudit.cli;

import io.memaudit.common.data.DataDirectory;
import io.memaudit.common.scoring.DataSetProbes;
import io.memaudit.common.scoring.ProbeProvider;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The data-directory option shared by every command that reads data sets. */
final class DataOptions {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data set cache (default: $MEMAUDIT_DATA_DIR, else $XDG_CACHE_HOME/memaudit/datasets, else ~/.cache/memaudit/datasets).")
    Path dataDir;

    DataDirectory directory() {
        return DataDirectory.resolve(dataDir);
    }

    /** Probe images from these data sets, fetching a missing source data set first. */
    ProbeProvider probes() {
        DataDirectory dir = directory();
        return new DataSetProbes(dir, name -> DatasetsCommand.ensure(dir, name.id()));
    }
}
