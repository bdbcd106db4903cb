package io.memaudit.common.data;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Checksums and safe unpacking of {@code .tgz} files, and recursive deletion. */
final class Tarballs {
    private static final int BUFFER = 1 << 16;
    private static final long REPORT_EVERY = 4L << 20;

    private Tarballs() { }

    /** Lower-case hex SHA-256 of a file, reporting stage "verify". */
    static String sha256(Path file, ProgressListener listener) {
        MessageDigest digest = newSha256();
        long total = size(file);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[BUFFER];
            long done = 0;
            long nextReport = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
                done += n;
                if (done >= nextReport) {
                    listener.progress("verify", done, total);
                    nextReport = done + REPORT_EVERY;
                }
            }
            listener.progress("verify", done, total);
        } catch (IOException e) {
            throw new DatasetException("could not read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 not available", e);
        }
    }

    /**
     * Unpacks a gzipped tar into {@code dest} (created if needed). Only regular files and
     * directories are unpacked; links, and entries whose path would leave {@code dest}, are
     * rejected. The whole gzip stream is read, so a truncated or corrupt file fails its CRC check.
     */
    static void unpack(Path tgz, Path dest, ProgressListener listener) {
        long total = size(tgz);
        try (CountingInputStream counted = new CountingInputStream(Files.newInputStream(tgz));
             GzipCompressorInputStream gz = new GzipCompressorInputStream(new BufferedInputStream(counted, BUFFER));
             TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            Files.createDirectories(dest);
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                unpackEntry(tgz, tar, e, dest, counted, total, listener);
                listener.progress("unpack", counted.count, total);
            }
            gz.transferTo(OutputStream.nullOutputStream());
            listener.progress("unpack", total, total);
        } catch (IOException | RuntimeException e) {
            if (e instanceof DatasetException de) {
                throw de;
            }
            throw new DatasetException("could not unpack " + tgz + ": the archive is corrupt or truncated ("
                    + e + "); delete it and fetch it again", e);
        }
    }

    private static void unpackEntry(Path tgz, TarArchiveInputStream tar, TarArchiveEntry e, Path dest,
                                    CountingInputStream counted, long total, ProgressListener listener)
            throws IOException {
        Path target = dest.resolve(e.getName()).normalize();
        if (!target.startsWith(dest) || target.equals(dest) && !e.isDirectory()) {
            throw new DatasetException("refusing to unpack " + tgz + ": entry '" + e.getName()
                    + "' would be written outside " + dest);
        }
        if (e.isDirectory()) {
            Files.createDirectories(target);
        } else if (e.isFile()) {
            Files.createDirectories(target.getParent());
            copy(tar, target, counted, total, listener);
        } else if (e.isSymbolicLink() || e.isLink()) {
            throw new DatasetException("refusing to unpack " + tgz + ": entry '" + e.getName()
                    + "' is a link");
        }
        // other entry types (pax headers are handled by the stream; fifos, devices) are skipped
    }

    private static void copy(InputStream in, Path target, CountingInputStream counted, long total,
                             ProgressListener listener) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buf = new byte[BUFFER];
            long nextReport = counted.count + REPORT_EVERY;
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                if (counted.count >= nextReport) {
                    listener.progress("unpack", counted.count, total);
                    nextReport = counted.count + REPORT_EVERY;
                }
            }
        }
    }

    /** Deletes a file or directory tree if it exists; failures are ignored (best effort). */
    static void deleteQuietly(Path path) {
        if (path == null || !Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new DatasetException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }
}
