package io.memaudit.common.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Probe sets: images from another data set, converted to a model's input shape, used to ask a
 * model about features it should not have seen. Named presets:
 * <ul>
 * <li>{@code cifar10-gray-28}: CIFAR-10 train, grey (BT.601), 28×28: probes for MNIST and
 *     Fashion-MNIST models</li>
 * <li>{@code mnist-rgb-32}: MNIST train, 32×32, grey copied to 3 channels: probes for CIFAR-10
 *     models</li>
 * <li>{@code fashion-rgb-32}: Fashion-MNIST train, 32×32, 3 channels: probes for CIFAR-10
 *     models</li>
 * <li>{@code cifar10-rgb-32}: CIFAR-10 test, unchanged: an in-distribution reference for CIFAR-10
 *     models</li>
 * <li>{@code mnist-gray-28}: MNIST test, unchanged: an in-distribution reference for MNIST
 *     models</li>
 * <li>{@code fashion-gray-28}: Fashion-MNIST test, unchanged: an in-distribution reference for
 *     Fashion-MNIST models</li>
 * </ul>
 * Sampling is deterministic: see {@link #sampleIndices}.
 */
public final class ProbeSets {
    private static final Map<String, ProbeSetSpec> PRESETS = new LinkedHashMap<>();

    static {
        add(new ProbeSetSpec("cifar10-gray-28", DatasetName.CIFAR10, Split.TRAIN, 1, 28, 28));
        add(new ProbeSetSpec("mnist-rgb-32", DatasetName.MNIST, Split.TRAIN, 3, 32, 32));
        add(new ProbeSetSpec("fashion-rgb-32", DatasetName.FASHION_MNIST, Split.TRAIN, 3, 32, 32));
        add(new ProbeSetSpec("cifar10-rgb-32", DatasetName.CIFAR10, Split.TEST, 3, 32, 32));
        add(new ProbeSetSpec("mnist-gray-28", DatasetName.MNIST, Split.TEST, 1, 28, 28));
        add(new ProbeSetSpec("fashion-gray-28", DatasetName.FASHION_MNIST, Split.TEST, 1, 28, 28));
    }

    private static void add(ProbeSetSpec spec) {
        PRESETS.put(spec.name(), spec);
    }

    private ProbeSets() { }

    /** The preset called {@code name}. */
    public static ProbeSetSpec preset(String name) {
        ProbeSetSpec spec = PRESETS.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("unknown probe set '" + name + "'; known: " + knownNames());
        }
        return spec;
    }

    /** The preset names, comma-separated. */
    public static String knownNames() {
        return String.join(", ", PRESETS.keySet());
    }

    /** All presets, in the order above. */
    public static Map<String, ProbeSetSpec> presets() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(PRESETS));
    }

    /**
     * The default out-of-distribution probe preset for a model input shape: "cifar10-gray-28"
     * for [1,28,28], "mnist-rgb-32" for [3,32,32].
     *
     * @throws IllegalArgumentException for other shapes (use {@link #forShape})
     */
    public static String defaultFor(int c, int h, int w) {
        if (c == 1 && h == 28 && w == 28) {
            return "cifar10-gray-28";
        }
        if (c == 3 && h == 32 && w == 32) {
            return "mnist-rgb-32";
        }
        throw new IllegalArgumentException("no default probe set for input shape [" + c + "," + h + "," + w
                + "]; name a source data set (" + DatasetName.allowedNames() + ") to build one of that shape");
    }

    /**
     * A spec that takes the training images of {@code datasetSource} (a {@link DatasetName} id)
     * to c×h×w; its name is e.g. "cifar10-gray-28", "mnist-rgb-32" or "mnist-rgb-40x32", with
     * "-train" appended where a preset of that name uses the test split (e.g. "cifar10-rgb-32-train").
     */
    public static ProbeSetSpec forShape(String datasetSource, int c, int h, int w) {
        DatasetName source = DatasetName.parse(datasetSource);
        String colour = c == 1 ? "gray" : c == 3 ? "rgb" : c + "ch";
        String size = h == w ? String.valueOf(h) : h + "x" + w;
        String name = source.id() + "-" + colour + "-" + size;
        ProbeSetSpec spec = new ProbeSetSpec(name, source, Split.TRAIN, c, h, w);
        ProbeSetSpec preset = PRESETS.get(name);
        if (preset == null || preset.equals(spec)) {
            return spec;
        }
        return new ProbeSetSpec(name + "-train", source, Split.TRAIN, c, h, w);
    }

    /** Loads the spec's source from {@code dir} and builds {@code n} probes from it. */
    public static ImageSet build(ProbeSetSpec spec, DataDirectory dir, int n, long seed) {
        return build(spec, Datasets.load(dir, spec.source(), spec.split()), n, seed);
    }

    /**
     * {@code n} images of {@code source}, chosen by {@link #sampleIndices} and converted to the
     * spec's shape. Labels (the source's classes) are kept. Only the chosen images are converted.
     */
    public static ImageSet build(ProbeSetSpec spec, ImageSet source, int n, long seed) {
        int[] idx = sampleIndices(spec.name(), source.size(), n, seed);
        byte[][] out = new byte[n][];
        for (int k = 0; k < n; k++) {
            out[k] = ProbeTransforms.convert(source.raw(idx[k]), source.channels(), source.height(),
                    source.width(), spec.targetChannels(), spec.targetH(), spec.targetW());
        }
        int[] labels = null;
        if (source.hasLabels()) {
            labels = Arrays.stream(idx).map(source::label).toArray();
        }
        return new ImageSet(spec.name(), spec.targetChannels(), spec.targetH(), spec.targetW(), out, labels);
    }

    /** {@code n} images of an already converted set, chosen by {@link #sampleIndices}. */
    public static ImageSet sample(ImageSet images, int n, long seed) {
        return images.subset(images.name(), sampleIndices(images.name(), images.size(), n, seed));
    }

    /**
     * {@code n} distinct indices in [0, available): the first n positions of a Fisher–Yates
     * shuffle of 0..available-1 driven by {@code new SplittableRandom(seed)} (position i swaps
     * with i + nextInt(available - i)). The same arguments always give the same indices.
     */
    public static int[] sampleIndices(String probeSetName, int available, int n, long seed) {
        if (n <= 0) {
            throw new IllegalArgumentException("probe set " + probeSetName + ": the number of probes must be"
                    + " positive, got " + n);
        }
        if (n > available) {
            throw new IllegalArgumentException("probe set " + probeSetName + ": asked for " + n
                    + " probes but only " + available + " images are available");
        }
        int[] perm = new int[available];
        for (int i = 0; i < available; i++) {
            perm[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int j = i + rnd.nextInt(available - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return Arrays.copyOf(perm, n);
    }
}
