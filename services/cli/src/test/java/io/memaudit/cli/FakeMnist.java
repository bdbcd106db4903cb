package io.memaudit.cli;

import io.memaudit.common.data.DataDirectory;
import io.memaudit.common.data.DatasetName;
import io.memaudit.common.data.ImageSet;
import io.memaudit.common.data.SyntheticImages;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Installs generated images as an "mnist" data set (real IDX files) so CLI tests need no download. */
final class FakeMnist {
    private FakeMnist() { }

    static DataDirectory install(Path root, int train, int test) throws IOException {
        DataDirectory dir = new DataDirectory(root);
        Path data = dir.packageDir(DatasetName.MNIST).resolve("data");
        Files.createDirectories(data);
        write(data, "train", SyntheticImages.generate("train", train, 1, 28, 28, 10, 5));
        write(data, "t10k", SyntheticImages.generate("test", test, 1, 28, 28, 10, 6));
        Files.writeString(dir.markerFile(DatasetName.MNIST), DatasetName.MNIST.sha256());
        return dir;
    }

    private static void write(Path data, String prefix, ImageSet set) throws IOException {
        try (OutputStream os = Files.newOutputStream(data.resolve(prefix + "-images-idx3-ubyte"));
             DataOutputStream out = new DataOutputStream(os)) {
            out.writeInt(0x00000803);
            out.writeInt(set.size());
            out.writeInt(28);
            out.writeInt(28);
            for (int i = 0; i < set.size(); i++) {
                out.write(set.raw(i));
            }
        }
        try (OutputStream os = Files.newOutputStream(data.resolve(prefix + "-labels-idx1-ubyte"));
             DataOutputStream out = new DataOutputStream(os)) {
            out.writeInt(0x00000801);
            out.writeInt(set.size());
            for (int i = 0; i < set.size(); i++) {
                out.writeByte(set.label(i));
            }
        }
    }
}
