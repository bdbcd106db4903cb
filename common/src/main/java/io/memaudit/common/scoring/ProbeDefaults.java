package io.memaudit.common.scoring;

import java.util.Arrays;

/**
 * The probe set used when none is named: out-of-distribution images converted to the model's input
 * shape. Grey models get CIFAR-10 in grey (BT.601 luma); colour models get MNIST copied to three
 * channels — both resampled bilinearly to the model's H×W.
 */
final class ProbeDefaults {
    private ProbeDefaults() { }

    static String forShape(int[] shape) {
        return switch (shape[0]) {
            case 1 -> "cifar10-gray-28";
            case 3 -> "mnist-rgb-32";
            default -> throw new IllegalArgumentException("no default probe set for " + shape[0] + "-channel input "
                    + Arrays.toString(shape) + "; name a directory of images with --probes dir:PATH");
        };
    }
}
