package io.memaudit.common.model;

import io.memaudit.common.events.AuditException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest {
    @TempDir
    Path tmp;

    @Test
    void writesAtomicallyAndReloadsTheSameParameters() throws Exception {
        Path dir = tmp.resolve("ckpt-0001");
        CheckpointMetadata written = TestCheckpoints.writeMlp(dir, 5);
        assertFalse(Files.exists(tmp.resolve("ckpt-0001.tmp")));
        CheckpointMetadata read = CheckpointStore.readMetadata(dir);
        assertEquals(written.paramsSha256(), read.paramsSha256());
        assertArrayEquals(new int[] {1, 28, 28}, read.inputShape());
        try (NDManager m = NDManager.newBaseManager(); Model model = CheckpointStore.load(dir, read, m)) {
            assertArrayEquals(Files.readAllBytes(dir.resolve(CheckpointStore.PARAMS_FILE)), serialise(model));
        }
    }

    private static byte[] serialise(Model model) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            model.getBlock().saveParameters(out);
        }
        return bytes.toByteArray();
    }

    @Test
    void reloadingParametersDoesNotAccumulateNativeArrays() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        CheckpointMetadata ma = TestCheckpoints.writeMlp(a, 1);
        CheckpointMetadata mb = TestCheckpoints.writeMlp(b, 2);
        try (NDManager m = NDManager.newBaseManager(); Model model = CheckpointStore.load(a, ma, m)) {
            int arrays = model.getNDManager().getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                CheckpointStore.reload(model.getBlock(), i % 2 == 0 ? b : a, i % 2 == 0 ? mb : ma, model.getNDManager());
            }
            assertEquals(arrays, model.getNDManager().getManagedArrays().size(),
                    "each reload must free the arrays it replaces");
        }
    }

    @Test
    void missingCheckpointIsNamed() {
        AuditException e = assertThrows(AuditException.class, () -> CheckpointStore.readMetadata(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void corruptParametersAreDetectedByChecksum() throws Exception {
        Path dir = tmp.resolve("c");
        CheckpointMetadata m = TestCheckpoints.writeMlp(dir, 1);
        byte[] p = Files.readAllBytes(dir.resolve("model.params"));
        p[p.length / 2] ^= 0x55;
        Files.write(dir.resolve("model.params"), p);
        try (NDManager nd = NDManager.newBaseManager()) {
            AuditException e = assertThrows(AuditException.class, () -> CheckpointStore.load(dir, m, nd));
            assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        }
    }

    @Test
    void truncatedParametersWithoutChecksumAreRejected() throws Exception {
        Path dir = tmp.resolve("t");
        CheckpointMetadata m = TestCheckpoints.writeMlp(dir, 1).withParams("model.params", null);
        byte[] p = Files.readAllBytes(dir.resolve("model.params"));
        Files.write(dir.resolve("model.params"), Arrays.copyOf(p, p.length / 3));
        try (NDManager nd = NDManager.newBaseManager()) {
            AuditException e = assertThrows(AuditException.class, () -> CheckpointStore.load(dir, m, nd));
            assertTrue(e.getMessage().contains("model.params"), e.getMessage());
        }
    }

    @Test
    void metadataThatDoesNotMatchTheParametersIsRejected() throws Exception {
        Path dir = tmp.resolve("m");
        CheckpointMetadata m = TestCheckpoints.writeMlp(dir, 1);
        CheckpointMetadata wrongClasses = new CheckpointMetadata(m.format(), m.runId(), m.dataset(), m.architecture(),
                m.variant(), m.inputShape(), 5, m.normalisation(), m.feature(), m.canaries(), m.candidateCanaries(),
                m.seed(), m.epoch(), m.step(), m.metrics(), m.paramsFile(), m.paramsSha256(), m.createdAt());
        try (NDManager nd = NDManager.newBaseManager()) {
            AuditException e = assertThrows(AuditException.class, () -> CheckpointStore.load(dir, wrongClasses, nd));
            assertTrue(e.getMessage().contains("5 classes"), e.getMessage());
        }
    }

    @Test
    void nonFiniteWeightsAreRejected() throws Exception {
        Path dir = tmp.resolve("nan");
        CheckpointMetadata m = TestCheckpoints.writeMlp(dir, 1);
        try (NDManager nd = NDManager.newBaseManager(); Model model = CheckpointStore.load(dir, m, nd)) {
            var first = model.getBlock().getParameters().get(0).getValue().getArray();
            first.set(new ai.djl.ndarray.index.NDIndex("0"), Float.NaN);
            CheckpointStore.write(dir, model.getBlock(), m);
        }
        CheckpointMetadata again = CheckpointStore.readMetadata(dir);
        try (NDManager nd = NDManager.newBaseManager()) {
            AuditException e = assertThrows(AuditException.class, () -> CheckpointStore.load(dir, again, nd));
            assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        }
    }

    @Test
    void badMetadataFieldIsNamed() throws Exception {
        Path dir = tmp.resolve("b");
        TestCheckpoints.writeMlp(dir, 1);
        Path file = dir.resolve(CheckpointMetadata.FILE_NAME);
        String json = Files.readString(file).replace("\"mlp\"", "\"resnet\"");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        AuditException e = assertThrows(AuditException.class, () -> CheckpointStore.readMetadata(dir));
        assertTrue(e.getMessage().contains("architecture") && e.getMessage().contains("resnet"), e.getMessage());
        Files.writeString(file, "{not json", StandardCharsets.UTF_8);
        e = assertThrows(AuditException.class, () -> CheckpointStore.readMetadata(dir));
        assertTrue(e.getMessage().contains(CheckpointMetadata.FILE_NAME), e.getMessage());
    }
}
