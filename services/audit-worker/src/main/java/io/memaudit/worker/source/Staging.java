package io.memaudit.worker.source;

import io.memaudit.common.events.AuditException;
import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.util.FileTrees;
import io.memaudit.common.util.Hashing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * The worker's private staging directory and the one copying loop every source uses: bytes are counted
 * against {@code maxBytes} while they stream (a source that under-reports its size is still stopped)
 * and hashed on the way.
 */
public final class Staging {
    /** Every copy lives in its own owner-only directory with this prefix; nothing else in the directory is touched. */
    private static final String PREFIX = "stage-";

    private final Path dir;
    private final long maxBytes;

    /**
     * Creates {@code dir} and removes the copies an earlier process left in it (its {@code stage-*}
     * directories only: a misconfigured staging directory must not cost the user their files).
     */
    public Staging(Path dir, long maxBytes) {
        this.dir = dir.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(this.dir);
            try (Stream<Path> old = Files.list(this.dir)) {
                for (Path p : old.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                    FileTrees.deleteRecursively(p);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the staging directory " + this.dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a file whose size is known before the read (a local file's, an object's Content-Length)
     * when it is over the limit, so nothing of it is read; {@link #copy} still stops one that grows.
     */
    public void checkSize(long bytes, String origin) {
        if (bytes > maxBytes) {
            throw new AuditException(ErrorKind.FILE_TOO_LARGE, origin + " is " + bytes
                    + " bytes, over the limit memaudit.checkpoints.max-bytes = " + maxBytes);
        }
    }

    /**
     * Streams {@code in} into a new private file named {@code fileName}, hashing it; refuses more than
     * {@code maxBytes} as it goes. {@code origin} names the source in messages.
     */
    public StagedFile copy(InputStream in, String fileName, String origin) {
        return copy(in, fileName, origin, -1);
    }

    /**
     * As {@link #copy(InputStream, String, String)}, and refuses a stream that ends before
     * {@code expectedBytes} (a Content-Length; negative: unknown): the JDK's HTTP clients report a
     * connection closed early as a normal end of stream.
     */
    public StagedFile copy(InputStream in, String fileName, String origin, long expectedBytes) {
        StagedFile staged = copyAll(in, fileName, origin);
        if (expectedBytes >= 0 && staged.bytes() != expectedBytes) {
            staged.close();
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, "cannot read " + origin + ": the transfer ended after "
                    + staged.bytes() + " of " + expectedBytes + " bytes");
        }
        return staged;
    }

    private StagedFile copyAll(InputStream in, String fileName, String origin) {
        Path target;
        try {
            target = Files.createTempDirectory(dir, PREFIX).resolve(safeName(fileName));
        } catch (IOException e) {
            throw new AuditException(ErrorKind.SCORING_FAILED, "cannot stage " + origin + " in " + dir + ": " + e.getMessage(), e);
        }
        MessageDigest md = Hashing.newDigest();
        long total = 0;
        boolean ok = false;
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                total += r;
                if (total > maxBytes) {
                    throw new AuditException(ErrorKind.FILE_TOO_LARGE, origin + " is over the limit memaudit.checkpoints.max-bytes = "
                            + maxBytes + " (stopped after " + total + " bytes)");
                }
                md.update(buf, 0, r);
                out.write(buf, 0, r);
            }
            ok = true;
        } catch (IOException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, "cannot read " + origin + ": " + e.getMessage(), e);
        } finally {
            if (!ok) {
                StagedFile.deleteQuietly(target.getParent());
            }
        }
        return new StagedFile(target, origin, total, HexFormat.of().formatHex(md.digest()));
    }

    private static String safeName(String name) {
        String n = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return n.isEmpty() || n.startsWith(".") ? "model" + n : n;
    }
}
