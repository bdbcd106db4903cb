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
    /** Copies kept across audits (feature images, probe sets), in directories named by their content. */
    private static final String KEPT = "kept-";
    /** How many kept directories stay; the least recently used goes first. */
    static final int KEEP = 64;

    private final Path dir;
    private final long maxBytes;
    /** Kept directories, least recently used first. */
    private final java.util.LinkedHashSet<Path> kept = new java.util.LinkedHashSet<>();

    /**
     * Creates {@code dir} and removes the copies an earlier process left in it (its {@code stage-*} and
     * {@code kept-*} directories only: a misconfigured staging directory must not cost the user their files).
     */
    public Staging(Path dir, long maxBytes) {
        this.dir = dir.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(this.dir);
            try (Stream<Path> old = Files.list(this.dir)) {
                for (Path p : old.filter(p -> p.getFileName().toString().startsWith(PREFIX)
                        || p.getFileName().toString().startsWith(KEPT)).toList()) {
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
        boolean ok = false;
        try {
            long total = write(in, target, origin, md, maxBytes);
            ok = true;
            return new StagedFile(target, origin, total, HexFormat.of().formatHex(md.digest()));
        } finally {
            if (!ok) {
                StagedFile.deleteQuietly(target.getParent());
            }
        }
    }

    /**
     * Streams {@code in} into the new file {@code target} (inside a directory being filled for
     * {@link #keepDirectory}), refusing more than {@code budget} bytes and a stream that ends before
     * {@code expectedBytes} (negative: unknown). Returns the bytes written.
     */
    public long copyInto(InputStream in, Path target, String origin, long expectedBytes, long budget) {
        long n = write(in, target.getParent().resolve(safeName(target.getFileName().toString())), origin, Hashing.newDigest(),
                Math.min(budget, maxBytes));
        if (expectedBytes >= 0 && n != expectedBytes) {
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, "cannot read " + origin + ": the transfer ended after "
                    + n + " of " + expectedBytes + " bytes");
        }
        return n;
    }

    /** The one copying loop: counts against {@code limit} while it streams, hashes on the way. */
    private static long write(InputStream in, Path target, String origin, MessageDigest md, long limit) {
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                total += r;
                if (total > limit) {
                    throw new AuditException(ErrorKind.FILE_TOO_LARGE, origin + " is over the limit memaudit.checkpoints.max-bytes = "
                            + limit + " (stopped after " + total + " bytes)");
                }
                md.update(buf, 0, r);
                out.write(buf, 0, r);
            }
        } catch (IOException e) {
            throw new AuditException(ErrorKind.CHECKPOINT_UNREADABLE, "cannot read " + origin + ": " + e.getMessage(), e);
        }
        return total;
    }

    /**
     * Keeps a staged copy across audits under a path named by its content (SHA-256) and name, and
     * returns that path; the staged copy itself is gone afterwards. The same bytes give the same path,
     * so caches keyed by path (built probe inputs) are reused while the file is unchanged and can
     * never serve a file that changed under its name.
     */
    public Path keep(StagedFile staged) {
        Path target = dir.resolve(KEPT + staged.sha256().substring(0, 40)).resolve(staged.file().getFileName());
        try {
            synchronized (this) {
                if (!Files.exists(target)) {
                    Files.createDirectories(target.getParent());
                    Files.move(staged.file(), target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
                used(target.getParent());
            }
            return target;
        } catch (IOException e) {
            throw new AuditException(ErrorKind.SCORING_FAILED, "cannot keep " + staged.origin() + " in " + dir + ": " + e.getMessage(), e);
        } finally {
            staged.close();
        }
    }

    /**
     * A directory kept across audits under a name derived from {@code identity} (what the source knows
     * of its content: keys, ETags, sizes): returned as it is when it is there, else filled by
     * {@code fill} in a private directory first and then moved into place, so no half-filled
     * directory is ever returned.
     */
    public Path keepDirectory(String identity, java.util.function.Consumer<Path> fill) {
        Path target = dir.resolve(KEPT + HexFormat.of().formatHex(Hashing.newDigest().digest(
                identity.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 40));
        synchronized (this) {
            if (Files.isDirectory(target)) {
                used(target);
                return target;
            }
        }
        Path tmp;
        try {
            tmp = Files.createTempDirectory(dir, PREFIX);
        } catch (IOException e) {
            throw new AuditException(ErrorKind.SCORING_FAILED, "cannot stage in " + dir + ": " + e.getMessage(), e);
        }
        try {
            fill.accept(tmp);
            synchronized (this) {
                if (!Files.isDirectory(target)) { // else another scoring thread filled it meanwhile
                    Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
                used(target);
            }
            return target;
        } catch (IOException e) {
            throw new AuditException(ErrorKind.SCORING_FAILED, "cannot keep a staged directory in " + dir + ": " + e.getMessage(), e);
        } finally {
            StagedFile.deleteQuietly(tmp);
        }
    }

    /**
     * Marks a kept directory as just used and removes the least recently used beyond {@link #KEEP}.
     * A kept file is read when the audit's inputs are built, right after it is kept: only 64 newer
     * ones kept in between (by other devices' scoring threads) could remove it first, and that audit
     * would then fail as unreadable, not score something else.
     */
    private void used(Path keptDir) {
        kept.remove(keptDir);
        kept.add(keptDir);
        while (kept.size() > KEEP) {
            Path oldest = kept.iterator().next();
            kept.remove(oldest);
            StagedFile.deleteQuietly(oldest);
        }
    }

    /** The size limit of one object, and of all files of one kept directory together. */
    public long maxBytes() {
        return maxBytes;
    }

    private static String safeName(String name) {
        String n = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return n.isEmpty() || n.startsWith(".") ? "model" + n : n;
    }
}
