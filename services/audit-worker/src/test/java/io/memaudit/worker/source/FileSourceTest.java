package io.memaudit.worker.source;

import io.memaudit.common.events.AuditException;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.util.Hashing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileSourceTest {
    @TempDir
    Path tmp;

    private CheckpointSources sources(Path root, long maxBytes) {
        return new CheckpointSources(new Staging(tmp.resolve("staging"), maxBytes)).register(new FileSource(List.of(root)));
    }

    @Test
    void stagingCopiesTheModelOnceWithItsSizeAndHashAndCloseDeletesTheCopy() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        byte[] bytes = new byte[200_000];
        new java.util.Random(1).nextBytes(bytes);
        Path model = Files.write(Files.createDirectories(root.resolve("run/ckpt-0001")).resolve("model.onnx"), bytes);
        StagedFile staged = sources(root, 1 << 20).stage(model.toUri().toString(), "model.uri", "model.onnx");
        try (staged) {
            assertEquals(bytes.length, staged.bytes());
            assertEquals(Hashing.sha256(model), staged.sha256());
            assertEquals("model.onnx", staged.file().getFileName().toString(), "formats look at the file name");
            assertTrue(staged.file().startsWith(tmp.resolve("staging")));
            assertArrayEquals(bytes, Files.readAllBytes(staged.file()));
            Files.write(model, new byte[] {1}); // the source changes after the read: the copy does not
            assertArrayEquals(bytes, Files.readAllBytes(staged.file()));
        }
        assertFalse(Files.exists(staged.file()), "closing removes the copy");
    }

    @Test
    void fileUrisWithTheLocalhostAuthorityMeanTheLocalFile() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path model = Files.write(Files.createDirectories(root.resolve("run/ckpt-0001")).resolve("model.onnx"), new byte[] {1});
        FileSource files = new FileSource(List.of(root));
        String path = model.toRealPath().toString();
        assertEquals(files.locateModel("file://" + path, "model.uri", "model.onnx"),
                files.locateModel("file://localhost" + path, "model.uri", "model.onnx"));
        AuditException other = assertThrows(AuditException.class, () -> files.locateModel("file://example.org" + path, "model.uri", "model.onnx"));
        assertEquals(ErrorKind.SCHEMA_VIOLATION, other.kind(), other.getMessage());
    }

    @Test
    void aDirectoryUriFindsTheFormatsDefaultFile() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path dir = Files.createDirectories(root.resolve("run/ckpt-0002"));
        Files.write(dir.resolve("model.onnx"), new byte[] {1, 2});
        CheckpointSources sources = sources(root, 1000);
        try (StagedFile s = sources.stage(dir.toUri().toString(), "model.uri", "model.onnx")) {
            assertEquals(2, s.bytes());
        }
        AuditException missing = assertThrows(AuditException.class, () -> sources.stage(dir.toUri().toString(), "model.uri", "model.params"));
        assertEquals(ErrorKind.CHECKPOINT_MISSING, missing.kind());
    }

    @Test
    void aFileOverTheLimitIsRefusedFromItsSizeAndLeavesNothingStaged() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path model = Files.write(root.resolve("big.onnx"), new byte[5000]);
        AuditException e = assertThrows(AuditException.class, () -> sources(root, 4096).stage(model.toUri().toString(), "model.uri", "x"));
        assertEquals(ErrorKind.FILE_TOO_LARGE, e.kind());
        assertTrue(e.getMessage().contains("memaudit.checkpoints.max-bytes = 4096"), e.getMessage());
        try (var left = Files.list(tmp.resolve("staging"))) {
            assertEquals(0, left.count(), "a refused copy is removed");
        }
    }

    /** A source that says less than it sends (a file that grows, an object without a length) is cut off. */
    @Test
    void aStreamOverTheLimitIsStoppedWhileItIsCopied() throws Exception {
        Staging staging = new Staging(tmp.resolve("staging"), 4096);
        AuditException e = assertThrows(AuditException.class,
                () -> staging.copy(new java.io.ByteArrayInputStream(new byte[100_000]), "model.onnx", "s3://b/k"));
        assertEquals(ErrorKind.FILE_TOO_LARGE, e.kind());
        assertTrue(e.getMessage().contains("stopped after"), e.getMessage());
        try (var left = Files.list(tmp.resolve("staging"))) {
            assertEquals(0, left.count(), "the partial copy is removed");
        }
    }

    /** Only the staging's own leftovers go at start: a directory set by mistake keeps the user's files. */
    @Test
    void startingRemovesEarlierCopiesAndNothingElse() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("shared"));
        Path mine = Files.createDirectories(dir.resolve("stage-123"));
        Files.write(mine.resolve("model.onnx"), new byte[] {1});
        Path theirs = Files.write(dir.resolve("notes.txt"), new byte[] {2});
        new Staging(dir, 100);
        assertFalse(Files.exists(mine), "an earlier process's copy is removed");
        assertTrue(Files.exists(theirs), "anything else is left alone");
    }

    @Test
    void anUnknownSchemeNamesTheSchemesThisWorkerReads() {
        AuditException e = assertThrows(AuditException.class, () -> sources(tmp, 10).stage("gopher://h/x", "model.uri", "x"));
        assertEquals(ErrorKind.UNSUPPORTED_FORMAT, e.kind());
        assertTrue(e.getMessage().contains("gopher") && e.getMessage().contains("reads file"), e.getMessage());
    }

    /**
     * The race the secure open closes: the path was checked (inside the root, no link out), then a
     * directory on it is replaced by a symbolic link to somewhere else before the file is opened.
     */
    @Test
    void aDirectorySwappedForASymbolicLinkAfterTheCheckIsNotFollowed() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path run = Files.createDirectories(root.resolve("run"));
        Path model = Files.write(run.resolve("model.onnx"), new byte[] {1});
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.write(outside.resolve("model.onnx"), "secret".getBytes());
        FileSource files = new FileSource(List.of(root));
        Path checked = files.locateModel(model.toUri().toString(), "model.uri", "model.onnx");
        Files.move(run, root.resolve("run-old"));
        Files.createSymbolicLink(run, outside); // the swap
        AuditException e = assertThrows(AuditException.class, () -> {
            try (InputStream in = files.openConfined(checked, model.toUri().toString(), "model.uri")) {
                in.readAllBytes();
            }
        });
        assertEquals(ErrorKind.PATH_NOT_ALLOWED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }

    @Test
    void theModelFileItselfSwappedForASymbolicLinkIsNotFollowed() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path model = Files.write(root.resolve("model.onnx"), new byte[] {1});
        Path outside = Files.write(tmp.resolve("secret"), "secret".getBytes());
        FileSource files = new FileSource(List.of(root));
        Path checked = files.locateModel(model.toUri().toString(), "model.uri", "model.onnx");
        Files.delete(model);
        Files.createSymbolicLink(model, outside);
        AuditException e = assertThrows(AuditException.class, () -> files.openConfined(checked, model.toUri().toString(), "model.uri"));
        assertEquals(ErrorKind.PATH_NOT_ALLOWED, e.kind(), e.getMessage());
    }

    @Test
    void linksThatStayInsideTheRootsStillWork() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path real = Files.write(Files.createDirectories(root.resolve("store")).resolve("model.onnx"), new byte[] {7, 7});
        Path latest = Files.createSymbolicLink(root.resolve("latest"), root.resolve("store"));
        try (StagedFile s = sources(root, 100).stage(latest.resolve("model.onnx").toUri().toString(), "model.uri", "model.onnx")) {
            assertEquals(Hashing.sha256(real), s.sha256());
        }
    }
}
