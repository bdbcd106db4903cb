package io.memaudit.kafka;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/** Formats the broker's log directory (what {@code kafka-storage.sh format} does) and deletes it. */
final class Storage {
    static final String META_PROPERTIES = "meta.properties";

    private Storage() {
    }

    /**
     * Formats {@code logDir}, the only log directory and the metadata log directory of node
     * {@link BrokerConfig#NODE_ID}, with a new random cluster id unless it is formatted already.
     *
     * @return the cluster id in the directory's meta.properties
     */
    static String formatIfNeeded(Path logDir) {
        Path meta = logDir.resolve(META_PROPERTIES);
        if (Files.isRegularFile(meta)) {
            return clusterId(meta);
        }
        String clusterId = Uuid.randomUuid().toString();
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(BrokerConfig.NODE_ID)
                .setClusterId(clusterId)
                .setControllerListenerName(BrokerConfig.CONTROLLER_LISTENER)
                .setMetadataLogDirectory(logDir.toString())
                .addDirectory(logDir.toString());
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("could not format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
        return clusterId;
    }

    static String clusterId(Path metaProperties) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(metaProperties, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + metaProperties, e);
        }
        String id = p.getProperty("cluster.id");
        if (id == null) {
            throw new IllegalStateException(metaProperties + " has no cluster.id");
        }
        return id;
    }

    /** Deletes a directory tree; what cannot be deleted is left and reported by the return value. */
    static boolean deleteTree(Path root) {
        if (!Files.exists(root)) {
            return true;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(Storage::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
        return !Files.exists(root);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // reported by deleteTree's result
        }
    }
}
