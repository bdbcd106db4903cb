package io.memaudit.common.data;

/**
 * Pixel conversions used to make probe images of another data set's shape. All work on single
 * images of unsigned bytes in CHW order and return new arrays.
 */
public final class ProbeTransforms {
    private ProbeTransforms() { }

    /**
     * Grey level of an RGB image by ITU-R BT.601 luma, Y = 0.299 R + 0.587 G + 0.114 B, rounded
     * to the nearest integer (halves up). Computed exactly in integers.
     *
     * @param rgb 3×h×w, CHW order
     * @return 1×h×w
     */
    public static byte[] toGray(byte[] rgb, int h, int w) {
        int n = h * w;
        requireLength(rgb, 3 * n, "toGray input");
        byte[] out = new byte[n];
        for (int p = 0; p < n; p++) {
            int r = rgb[p] & 0xFF;
            int g = rgb[n + p] & 0xFF;
            int b = rgb[2 * n + p] & 0xFF;
            out[p] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
        }
        return out;
    }

    /**
     * Bilinear resize of every channel with half-pixel centres: output pixel (y, x) samples the
     * source at ((y + 0.5) · h / newH − 0.5, (x + 0.5) · w / newW − 0.5), coordinates clamped to
     * the image, and the result is rounded to the nearest byte (halves up). This is OpenCV's
     * {@code INTER_LINEAR} and TensorFlow's {@code resize(bilinear, half_pixel_centers=True,
     * antialias=False)}. There is no antialiasing filter when shrinking (Pillow's {@code resize}
     * widens its filter when shrinking, so it gives slightly different values for 32→28).
     *
     * @param src c×h×w, CHW order
     * @return c×newH×newW
     */
    public static byte[] resizeBilinear(byte[] src, int c, int h, int w, int newH, int newW) {
        requireLength(src, c * h * w, "resize input");
        if (newH <= 0 || newW <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + newH + "×" + newW);
        }
        if (newH == h && newW == w) {
            return src.clone();
        }
        Axis ys = Axis.of(h, newH);
        Axis xs = Axis.of(w, newW);
        byte[] out = new byte[c * newH * newW];
        for (int ch = 0; ch < c; ch++) {
            resizeChannel(src, ch * h * w, w, ys, xs, out, ch * newH * newW);
        }
        return out;
    }

    private static void resizeChannel(byte[] src, int srcOff, int w, Axis ys, Axis xs, byte[] out, int outOff) {
        int newW = xs.lo.length;
        for (int y = 0; y < ys.lo.length; y++) {
            int row0 = srcOff + ys.lo[y] * w;
            int row1 = srcOff + ys.hi[y] * w;
            double fy = ys.frac[y];
            for (int x = 0; x < newW; x++) {
                double fx = xs.frac[x];
                double top = (src[row0 + xs.lo[x]] & 0xFF) * (1 - fx) + (src[row0 + xs.hi[x]] & 0xFF) * fx;
                double bot = (src[row1 + xs.lo[x]] & 0xFF) * (1 - fx) + (src[row1 + xs.hi[x]] & 0xFF) * fx;
                long v = Math.round(top * (1 - fy) + bot * fy);
                out[outOff + y * newW + x] = (byte) Math.max(0, Math.min(255, v));
            }
        }
    }

    /** Source neighbours and weights along one axis. */
    private record Axis(int[] lo, int[] hi, double[] frac) {
        static Axis of(int size, int newSize) {
            int[] lo = new int[newSize];
            int[] hi = new int[newSize];
            double[] frac = new double[newSize];
            double scale = (double) size / newSize;
            for (int i = 0; i < newSize; i++) {
                double s = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), size - 1);
                lo[i] = (int) Math.floor(s);
                hi[i] = Math.min(lo[i] + 1, size - 1);
                frac[i] = s - lo[i];
            }
            return new Axis(lo, hi, frac);
        }
    }

    /**
     * Copies a one-channel image into {@code channels} identical channels (grey to RGB).
     *
     * @param gray 1×h×w
     * @return channels×h×w
     */
    public static byte[] replicateChannels(byte[] gray, int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be positive, got " + channels);
        }
        byte[] out = new byte[gray.length * channels];
        for (int ch = 0; ch < channels; ch++) {
            System.arraycopy(gray, 0, out, ch * gray.length, gray.length);
        }
        return out;
    }

    /**
     * Converts one image to another shape: RGB→grey by {@link #toGray}, then
     * {@link #resizeBilinear}, then grey→C by {@link #replicateChannels}. Supported channel
     * changes: equal, 3→1 and 1→C.
     */
    public static byte[] convert(byte[] img, int c, int h, int w, int toC, int toH, int toW) {
        byte[] cur = img;
        int curC = c;
        if (c == 3 && toC == 1) {
            cur = toGray(cur, h, w);
            curC = 1;
        } else if (c != toC && c != 1) {
            throw new IllegalArgumentException("cannot convert " + c + " channels to " + toC);
        }
        cur = resizeBilinear(cur, curC, h, w, toH, toW);
        return curC == toC ? cur : replicateChannels(cur, toC);
    }

    private static void requireLength(byte[] a, int expected, String what) {
        if (a.length != expected) {
            throw new IllegalArgumentException(what + " has " + a.length + " values, expected " + expected);
        }
    }
}
