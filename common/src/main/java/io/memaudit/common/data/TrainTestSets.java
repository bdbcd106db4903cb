package io.memaudit.common.data;

import java.util.Objects;

/** The training and test parts of one data set. */
public record TrainTestSets(ImageSet train, ImageSet test) {
    public TrainTestSets {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
    }

    /** The part for {@code split}. */
    public ImageSet get(Split split) {
        return split == Split.TRAIN ? train : test;
    }
}
