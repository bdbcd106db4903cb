package io.memaudit.common.data;

/** Which part of a data set: the training images or the held-out test images. */
public enum Split {
    TRAIN, TEST;

    /** Lower-case name, as used in set names such as "mnist/train". */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
