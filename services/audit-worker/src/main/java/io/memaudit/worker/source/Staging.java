package io.memaudit.worker.source;

import io.memaudit.common.events.AuditException;
import io.memaudit.common.events.ErrorKind;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * The worker's private staging directory and the one copying loop every source uses: bytes are counted
 * against {@code maxBytes} while they stream (a source that under-reports its size is still stopped)
 * and hashed on the way.
 */
public final class Staging {
    private final Path dir;
    private final long maxBytes;

    /** Creates {@code dir} (owner-only) and removes what an earlier process left in it. */
    public Staging(Path dir, long maxBytes) {
        this.dir = dir.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        try {
            if (Files.exists(this.dir)) {
                try (Stream<Path> old = Files.walk(this.dir)) {
                    old.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(this.dir)).forEach(Staging::deleteQuietly);
                }
            }
            Files.createDirectories(this.dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the staging directory " + this.dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Streams {@code in} into a new private file named {@code fileName}, hashing it; refuses more than
     * {@code maxBytes} as it goes. {@code origin} names the source in messages.
     */
    public StagedFile copy(InputStream in, String fileName, String origin) {
        Path target;
        try {
            target = Files.createTempDirectory(dir, "stage-").resolve(safeName(fileName));
        } catch (IOException e) {
            throw new AuditException(ErrorKind.SCORING_FAILED, "cannot stage " + origin + " in " + dir + ": " + e.getMessage(), e);
        }
        MessageDigest md = sha256();
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
                deleteQuietly(target);
                deleteQuietly(target.getParent());
            }
        }
        return new StagedFile(target, origin, total, HexFormat.of().formatHex(md.digest()));
    }

    private static String safeName(String name) {
        String n = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return n.isEmpty() || n.startsWith(".") ? "model" + n : n;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort; the next start empties the directory
        }
    }
}
