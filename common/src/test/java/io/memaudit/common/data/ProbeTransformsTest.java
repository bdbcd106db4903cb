package io.memaudit.common.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProbeTransformsTest {
    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static int[] ints(byte[] b) {
        int[] v = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            v[i] = b[i] & 0xFF;
        }
        return v;
    }

    @Test
    void grayByBt601() {
        // 2 pixels; planes R, G, B
        byte[] rgb = bytes(255, 10, /* G */ 0, 20, /* B */ 0, 200);
        // 0.299*255 = 76.245 -> 76 ; 0.299*10 + 0.587*20 + 0.114*200 = 2.99 + 11.74 + 22.8 = 37.53 -> 38
        assertArrayEquals(new int[] {76, 38}, ints(ProbeTransforms.toGray(rgb, 1, 2)));
        byte[] white = bytes(255, 0, 255, 0, 255, 0);
        assertArrayEquals(new int[] {255, 0}, ints(ProbeTransforms.toGray(white, 1, 2)));
        // pure green: 0.587*255 = 149.685 -> 150 ; pure blue 0.114*255 = 29.07 -> 29
        assertArrayEquals(new int[] {150, 29}, ints(ProbeTransforms.toGray(bytes(0, 0, 255, 0, 0, 255), 1, 2)));
    }

    @Test
    void bilinear2x2To4x4WithHalfPixelCentres() {
        // source [[0, 100], [200, 40]]; output coordinates map to source -0.25, 0.25, 0.75, 1.25,
        // clamped to 0, 0.25, 0.75, 1: weights of the second source pixel 0, 1/4, 3/4, 1.
        byte[] src = bytes(0, 100, 200, 40);
        // source row 0 along x: 0, 25, 75, 100; source row 1 along x: 200, 160, 80, 40
        // y=1: 0.75*[0,25,75,100] + 0.25*[200,160,80,40] = [50, 58.75, 76.25, 85] -> 50, 59, 76, 85
        // y=2: 0.25*[0,25,75,100] + 0.75*[200,160,80,40] = [150, 126.25, 78.75, 55] -> 150, 126, 79, 55
        int[] expected = {0, 25, 75, 100, 50, 59, 76, 85, 150, 126, 79, 55, 200, 160, 80, 40};
        assertArrayEquals(expected, ints(ProbeTransforms.resizeBilinear(src, 1, 2, 2, 4, 4)));
    }

    @Test
    void bilinearShrinkAveragesNeighbours() {
        // 1x4 -> 1x2: output x samples source at 0.5 and 2.5
        byte[] src = bytes(10, 20, 30, 41);
        assertArrayEquals(new int[] {15, 36}, ints(ProbeTransforms.resizeBilinear(src, 1, 1, 4, 1, 2)));
    }

    @Test
    void resizeWorksPerChannel() {
        byte[] src = bytes(0, 100, 200, 40, /* channel 2 */ 7, 7, 7, 7);
        byte[] out = ProbeTransforms.resizeBilinear(src, 2, 2, 2, 4, 4);
        assertArrayEquals(new int[] {7, 7, 7, 7}, java.util.Arrays.copyOfRange(ints(out), 16, 20));
    }

    @Test
    void replicateCopiesTheChannel() {
        assertArrayEquals(new int[] {1, 2, 1, 2, 1, 2}, ints(ProbeTransforms.replicateChannels(bytes(1, 2), 3)));
    }

    @Test
    void convertGrayResizeReplicate() {
        byte[] gray = bytes(0, 100, 200, 40);
        byte[] out = ProbeTransforms.convert(gray, 1, 2, 2, 3, 4, 4);
        int[] v = ints(out);
        assertArrayEquals(java.util.Arrays.copyOfRange(v, 0, 16), java.util.Arrays.copyOfRange(v, 32, 48));
        byte[] rgb = bytes(255, 255, 0, 0, 0, 0);
        assertArrayEquals(new int[] {76}, ints(ProbeTransforms.convert(rgb, 3, 1, 2, 1, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> ProbeTransforms.convert(rgb, 3, 1, 2, 2, 1, 1));
    }
}
