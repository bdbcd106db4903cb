package io.memaudit.common.data;

import java.lang.ref.SoftReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads fetched data sets from a {@link DataDirectory}. Loaded sets are cached (softly, so the
 * garbage collector may drop them under memory pressure) per data directory, data set and
 * split, so a process that asks twice for CIFAR-10 reads it once. Fashion-MNIST's two splits
 * come from one parse and are cached together.
 *
 * <p>Set names are "ID/SPLIT", e.g. "cifar10/train".
 */
public final class Datasets {
    private static final Map<Key, SoftReference<ImageSet>> CACHE = new ConcurrentHashMap<>();

    private record Key(Path root, DatasetName name, Split split) { }

    private Datasets() { }

    /**
     * The {@code split} of data set {@code name}.
     *
     * @throws DatasetException when the data set is not fetched, or its files are damaged
     */
    public static ImageSet load(DataDirectory dir, DatasetName name, Split split) {
        Key key = new Key(dir.root(), name, split);
        SoftReference<ImageSet> ref = CACHE.get(key);
        ImageSet cached = ref == null ? null : ref.get();
        if (cached != null) {
            return cached;
        }
        synchronized (Datasets.class) {
            ref = CACHE.get(key);
            cached = ref == null ? null : ref.get();
            return cached != null ? cached : loadUncached(dir, name, split);
        }
    }

    private static ImageSet loadUncached(DataDirectory dir, DatasetName name, Split split) {
        requireComplete(dir, name);
        Path pkg = dir.packageDir(name);
        String setName = name.id() + "/" + split.id();
        ImageSet set = switch (name) {
            case MNIST -> loadMnist(pkg, split, setName);
            case CIFAR10 -> split == Split.TRAIN
                    ? Cifar10Reader.readTrain(pkg, setName) : Cifar10Reader.readTest(pkg, setName);
            case FASHION_MNIST -> loadFashion(dir, pkg, split);
        };
        CACHE.put(new Key(dir.root(), name, split), new SoftReference<>(set));
        return set;
    }

    private static ImageSet loadMnist(Path pkg, Split split, String setName) {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        Path data = pkg.resolve("data");
        return IdxReader.read(data.resolve(prefix + "-images-idx3-ubyte"),
                data.resolve(prefix + "-labels-idx1-ubyte"), setName);
    }

    private static ImageSet loadFashion(DataDirectory dir, Path pkg, Split split) {
        DatasetName name = DatasetName.FASHION_MNIST;
        TrainTestSets both = FashionMnistJsonReader.read(pkg.resolve("src").resolve("clothes"), name.id());
        Split other = split == Split.TRAIN ? Split.TEST : Split.TRAIN;
        CACHE.put(new Key(dir.root(), name, other), new SoftReference<>(both.get(other)));
        return both.get(split);
    }

    private static void requireComplete(DataDirectory dir, DatasetName name) {
        if (!dir.isComplete(name)) {
            throw new DatasetException("data set " + name.id() + " is not in " + dir.root()
                    + "; run 'memaudit datasets fetch " + name.id() + "' first (or point "
                    + DataDirectory.ENV_VAR + " at the directory that holds it)");
        }
    }

    /** Drops every cached set. */
    public static void clearCache() {
        CACHE.clear();
    }

    /** One entry per known data set, in declaration order. */
    public static List<DatasetInfo> list(DataDirectory dir) {
        List<DatasetInfo> out = new ArrayList<>();
        for (DatasetName name : DatasetName.values()) {
            out.add(new DatasetInfo(name, name.packageSpec(), dir.isComplete(name),
                    dir.datasetDir(name), dir.sizeOnDisk(name)));
        }
        return out;
    }
}
