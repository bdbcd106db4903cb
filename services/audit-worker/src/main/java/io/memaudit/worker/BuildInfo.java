package io.memaudit.worker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What is running, as the Prometheus info-metric {@code memaudit_build_info{version, revision, java,
 * engine, engine_version} 1}: the version and revision the build wrote into {@code build.properties},
 * the Java runtime, and the DJL engine that scores.
 *
 * @param version  the project version ("unknown" when the resource is missing, e.g. classes run from an IDE)
 * @param revision the source revision given to the build with {@code -Dmemaudit.revision}, else "unknown"
 */
record BuildInfo(String version, String revision) {
    static final String RESOURCE = "build.properties";
    static final String UNKNOWN = "unknown";

    /** The build's values, from {@link #RESOURCE} next to this class. */
    static BuildInfo load() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            return in == null ? new BuildInfo(UNKNOWN, UNKNOWN) : from(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the worker's jar", e);
        }
    }

    static BuildInfo from(InputStream properties) throws IOException {
        Properties p = new Properties();
        p.load(properties);
        return new BuildInfo(value(p, "version"), value(p, "revision"));
    }

    /** An unfiltered placeholder ({@code ${...}}) or an empty value counts as unknown. */
    private static String value(Properties p, String key) {
        String v = p.getProperty(key, "").strip();
        return v.isEmpty() || v.startsWith("${") ? UNKNOWN : v;
    }

    /** Registers the gauge; {@code engine} and {@code engineVersion} name the scoring engine (e.g. MXNet 1.9.1). */
    void register(MeterRegistry registry, String engine, String engineVersion) {
        Gauge.builder("memaudit.build.info", () -> 1)
                .tags("version", version, "revision", revision, "java", System.getProperty("java.version"),
                        "engine", engine, "engine_version", engineVersion)
                .description("Always 1; the labels say which memaudit build, Java runtime and scoring engine run here")
                .register(registry);
    }
}
