package io.memaudit.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny ONNX CNN of common's test resources, as a file on disk: found by walking up to the
 * repository root, since inside common's test jar it is no file a command line could name.
 */
final class TinyOnnx {
    private TinyOnnx() { }

    static Path cnn() {
        Path repo = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(repo.resolve("common/src/test/resources/onnx"))) {
            repo = repo.getParent();
        }
        return repo.resolve("common/src/test/resources/onnx/tiny-cnn.onnx");
    }
}
