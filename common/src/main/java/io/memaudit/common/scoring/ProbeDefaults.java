package io.memaudit.common.scoring;

import java.util.Arrays;

/** The probe set used when none is named: OOD images converted to the model's input shape. */
final class ProbeDefaults {
    private ProbeDefaults() { }

    static String forShape(int[] shape) {
        if (Arrays.equals(shape, new int[] {1, 28, 28})) {
            return "cifar10-gray-28";
        }
        if (Arrays.equals(shape, new int[] {3, 32, 32})) {
            return "mnist-rgb-32";
        }
        throw new IllegalArgumentException("no default probe set for input shape " + Arrays.toString(shape)
                + "; name one with --probes");
    }
}
