package io.memaudit.cli.reproduce;

import io.memaudit.common.data.ImageSet;

/** The images a study trains on, by data set name (real data sets, or generated ones in tests). */
public interface StudyData {
    ImageSet train(String dataset);

    ImageSet test(String dataset);

    /** The probe set audits use for models of this data set. */
    default String probeSet(String dataset) {
        return StudySettings.probeSetFor(dataset);
    }
}
