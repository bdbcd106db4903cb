package io.memaudit.worker;

import io.memaudit.common.events.AuditException;
import io.memaudit.common.events.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CheckpointLocatorTest {
    @TempDir
    Path root;

    @Test
    void fileUrisWithTheLocalhostAuthorityMeanTheLocalFile() throws Exception {
        Path model = Files.write(Files.createDirectories(root.resolve("run/ckpt-0001")).resolve("model.onnx"), new byte[] {1});
        CheckpointLocator locator = new CheckpointLocator(List.of(root), 1000);
        String path = model.toRealPath().toString();
        CheckpointLocator.Located viaLocalhost = locator.locateModel("file://localhost" + path, "model.onnx");
        CheckpointLocator.Located plain = locator.locateModel("file://" + path, "model.onnx");
        assertEquals(plain, viaLocalhost);
        AuditException other = assertThrows(AuditException.class, () -> locator.locateModel("file://example.org" + path, "model.onnx"));
        assertEquals(ErrorKind.SCHEMA_VIOLATION, other.kind(), other.getMessage());
    }

    @Test
    void aDirectoryUriFindsTheFormatsDefaultFile() throws Exception {
        Path dir = Files.createDirectories(root.resolve("run/ckpt-0002"));
        Files.write(dir.resolve("model.onnx"), new byte[] {1, 2});
        CheckpointLocator locator = new CheckpointLocator(List.of(root), 1000);
        assertEquals("model.onnx", locator.locateModel(dir.toUri().toString(), "model.onnx").paramsFile());
        AuditException missing = assertThrows(AuditException.class, () -> locator.locateModel(dir.toUri().toString(), "model.params"));
        assertEquals(ErrorKind.CHECKPOINT_MISSING, missing.kind());
    }
}
