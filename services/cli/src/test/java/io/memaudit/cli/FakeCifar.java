package io.memaudit.cli;

import io.memaudit.common.data.Cifar10Reader;
import io.memaudit.common.data.DataDirectory;
import io.memaudit.common.data.DatasetName;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.StringJoiner;

/**
 * Installs random images as a "cifar10" data set in the package's own layout (PNG sprites, one
 * 32×32 RGB image per row, and the misspelt label files) so CLI tests need no download.
 */
final class FakeCifar {
    private FakeCifar() { }

    /** Five training sprites of {@code perBatch} images each and a test sprite of as many. */
    static DataDirectory install(Path root, int perBatch) throws IOException {
        DataDirectory dir = new DataDirectory(root);
        Path pkg = dir.packageDir(DatasetName.CIFAR10);
        Files.createDirectories(pkg);
        Random random = new Random(7);
        for (int b = 1; b <= 5; b++) {
            sprite(pkg.resolve("data_batch_" + b + ".png"), perBatch, random);
        }
        sprite(pkg.resolve("test_batch.png"), perBatch, random);
        Files.writeString(pkg.resolve("train_lables.json"), labels(5 * perBatch, random));
        Files.writeString(pkg.resolve("test_lables.json"), labels(perBatch, random));
        Files.writeString(dir.markerFile(DatasetName.CIFAR10), DatasetName.CIFAR10.sha256());
        return dir;
    }

    private static void sprite(Path file, int rows, Random random) throws IOException {
        BufferedImage img = new BufferedImage(Cifar10Reader.SPRITE_WIDTH, rows, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < Cifar10Reader.SPRITE_WIDTH; x++) {
                img.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private static String labels(int n, Random random) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int i = 0; i < n; i++) {
            j.add(Integer.toString(random.nextInt(Cifar10Reader.CLASSES)));
        }
        return j.toString();
    }
}
