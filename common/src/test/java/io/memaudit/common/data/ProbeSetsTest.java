package io.memaudit.common.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProbeSetsTest {
    /** n RGB 32×32 images; image i has every R value i, G 0, B 0; label i % 10. */
    private static ImageSet rgbSource(int n) {
        byte[][] px = new byte[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            px[i] = new byte[3 * 32 * 32];
            Arrays.fill(px[i], 0, 1024, (byte) i);
            labels[i] = i % 10;
        }
        return new ImageSet("src", 3, 32, 32, px, labels);
    }

    @Test
    void sameSeedSameIndicesDifferentSeedDifferent() {
        int[] a = ProbeSets.sampleIndices("p", 1000, 50, 42);
        int[] b = ProbeSets.sampleIndices("p", 1000, 50, 42);
        int[] c = ProbeSets.sampleIndices("p", 1000, 50, 43);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertEquals(50, Arrays.stream(a).distinct().count());
        assertTrue(Arrays.stream(a).allMatch(i -> i >= 0 && i < 1000));
    }

    @Test
    void allImagesWhenNEqualsSize() {
        int[] all = ProbeSets.sampleIndices("p", 20, 20, 1).clone();
        Arrays.sort(all);
        for (int i = 0; i < 20; i++) {
            assertEquals(i, all[i]);
        }
    }

    @Test
    void tooManyOrTooFewProbes() {
        ImageSet src = rgbSource(5);
        ProbeSetSpec spec = ProbeSets.preset("cifar10-gray-28");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProbeSets.build(spec, src, 6, 0));
        assertTrue(e.getMessage().contains("cifar10-gray-28"), e.getMessage());
        assertTrue(e.getMessage().contains("asked for 6"), e.getMessage());
        assertTrue(e.getMessage().contains("only 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProbeSets.build(spec, src, 0, 0));
    }

    @Test
    void buildsGrayProbesOfTheChosenImages() {
        ImageSet src = rgbSource(30);
        ImageSet probes = ProbeSets.build(ProbeSets.preset("cifar10-gray-28"), src, 7, 5);
        assertArrayEquals(new int[] {1, 28, 28}, probes.shape());
        assertEquals(7, probes.size());
        assertEquals("cifar10-gray-28", probes.name());
        int[] idx = ProbeSets.sampleIndices("cifar10-gray-28", 30, 7, 5);
        for (int k = 0; k < 7; k++) {
            int expectedGray = (int) Math.round(0.299 * idx[k]);
            assertEquals(expectedGray, probes.raw(k)[28 * 14 + 3] & 0xFF);
            assertEquals(idx[k] % 10, probes.label(k));
        }
    }

    @Test
    void buildsRgbProbesFromGray() {
        byte[][] px = {new byte[784], new byte[784]};
        Arrays.fill(px[1], (byte) 200);
        ImageSet gray = new ImageSet("g", 1, 28, 28, px, null);
        ImageSet probes = ProbeSets.build(ProbeSets.preset("mnist-rgb-32"), gray, 2, 9);
        assertArrayEquals(new int[] {3, 32, 32}, probes.shape());
        assertFalse(probes.hasLabels());
        for (int k = 0; k < 2; k++) {
            byte[] img = probes.raw(k);
            assertEquals(img[5], img[1024 + 5]);
            assertEquals(img[5], img[2048 + 5]);
        }
    }

    @Test
    void presetsAndDefaults() {
        ProbeSetSpec s = ProbeSets.preset("mnist-rgb-32");
        assertEquals(DatasetName.MNIST, s.source());
        assertEquals(Split.TRAIN, s.split());
        assertArrayEquals(new int[] {3, 32, 32}, s.shape());
        assertEquals(Split.TEST, ProbeSets.preset("cifar10-rgb-32").split());
        assertEquals("cifar10-gray-28", ProbeSets.defaultFor(1, 28, 28));
        assertEquals("mnist-rgb-32", ProbeSets.defaultFor(3, 32, 32));
        assertThrows(IllegalArgumentException.class, () -> ProbeSets.defaultFor(3, 64, 64));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProbeSets.preset("nope"));
        assertTrue(e.getMessage().contains("fashion-rgb-32"), e.getMessage());
    }

    @Test
    void forShape() {
        assertEquals(ProbeSets.preset("cifar10-gray-28"), ProbeSets.forShape("cifar10", 1, 28, 28));
        ProbeSetSpec s = ProbeSets.forShape("fashion-mnist", 3, 64, 48);
        assertEquals("fashion-mnist-rgb-64x48", s.name());
        assertEquals(DatasetName.FASHION_MNIST, s.source());
        assertEquals(Split.TRAIN, s.split());
        assertEquals("cifar10-rgb-32-train", ProbeSets.forShape("cifar10", 3, 32, 32).name());
    }
}
