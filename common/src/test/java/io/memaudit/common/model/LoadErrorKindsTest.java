package io.memaudit.common.model;

import io.memaudit.common.events.AuditException;
import ai.djl.ndarray.NDManager;
import io.memaudit.common.events.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The error kind a user sees names the real fault: bytes that are no parameter file vs. another network's parameters. */
class LoadErrorKindsTest {
    @TempDir
    Path tmp;

    private AuditException load(Path params, Architecture arch, int classes) {
        try (NDManager nd = NDManager.newBaseManager()) {
            return assertThrows(AuditException.class,
                    () -> CheckpointStore.load(params, null, arch, new int[] {1, 28, 28}, classes, "t", nd).close());
        }
    }

    @Test
    void randomBytesAreACorruptCheckpoint() throws Exception {
        byte[] junk = new byte[4096];
        new Random(3).nextBytes(junk);
        Path params = Files.write(tmp.resolve("model.params"), junk);
        AuditException e = load(params, Architecture.MLP, 10);
        assertEquals(ErrorKind.CHECKPOINT_CORRUPT, e.kind(), e.getMessage());
    }

    @Test
    void anotherArchitecturesParametersAreAShapeMismatchThatSaysSo() throws Exception {
        Path dir = tmp.resolve("mlp");
        TestCheckpoints.writeMlp(dir, 1);
        AuditException e = load(dir.resolve("model.params"), Architecture.CNN, 10);
        assertEquals(ErrorKind.SHAPE_MISMATCH, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("cnn"), e.getMessage());
    }
}
