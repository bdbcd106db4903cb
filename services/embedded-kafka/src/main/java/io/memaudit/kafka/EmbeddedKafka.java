package io.memaudit.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Apache Kafka broker in this JVM: one KRaft node that is broker and controller, listening on
 * loopback. For people without a cluster, the streaming demo and integration tests.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults())) {
 *     kafka.createTopic("memaudit.checkpoints", 3);
 *     producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 *
 * The data directory holds {@code logs/} (partitions and the metadata log). A broker started again
 * on the same directory keeps its cluster id and its records. Kafka logs through SLF4J, and a lot at
 * INFO: set the {@code kafka}, {@code org.apache.kafka} and {@code state.change.logger} loggers to WARN
 * (the CLI's default level is WARN).
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int START_ATTEMPTS = 3;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaRaftServer server;
    private final Placement placement;
    private final String host;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final Admins admins;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, Placement placement, String host, int port,
                          int controllerPort, String clusterId, Admins admins) {
        this.server = server;
        this.placement = placement;
        this.host = host;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
        this.admins = admins;
    }

    /**
     * Formats the data directory if it is new, starts the broker and returns once it answers
     * {@code describeCluster}.
     *
     * @throws PortInUseException   if the given client port is taken
     * @throws IllegalStateException if it does not start within {@link Options#startTimeout()} or another
     *                               broker uses the data directory; the message names the address and
     *                               the directory
     */
    public static EmbeddedKafka start(Options options) {
        Objects.requireNonNull(options, "options");
        KafkaLogging.quietLog4jFallback();
        boolean owns = options.dataDir() == null;
        Path dir = owns ? tempDir() : createDirectories(options.dataDir());
        DirLock lock = null;
        try {
            lock = DirLock.acquire(dir);
            return startIn(options, dir, owns, lock);
        } catch (RuntimeException | Error e) {
            if (lock != null) {
                lock.close();
            }
            if (owns) {
                Storage.deleteTree(dir);
            }
            throw e;
        }
    }

    private static EmbeddedKafka startIn(Options options, Path dir, boolean owns, DirLock lock) {
        if (options.port() != 0 && !Ports.isFree(options.host(), options.port())) {
            throw new PortInUseException(options.host(), options.port(), null);
        }
        return launchWithRetries(options, new Placement(dir, owns, lock));
    }

    /**
     * Launches on the given client port (or a free one) and a free controller port. A free port picked
     * here can be taken before the broker binds it: then other free ports are tried; a given client port
     * that was taken meanwhile is a {@link PortInUseException} at once.
     */
    static EmbeddedKafka launchWithRetries(Options options, Placement placement) {
        for (int attempt = 1; ; attempt++) {
            int port = options.port() != 0 ? options.port() : Ports.free(options.host(), -1);
            int controllerPort = Ports.free(options.host(), port);
            try {
                return launch(options, placement, port, controllerPort);
            } catch (IllegalStateException e) {
                if (options.port() != 0 && Ports.isBindFailureOn(e, BrokerConfig.hostPort(options.host(), port))) {
                    throw new PortInUseException(options.host(), port, e);
                }
                if (attempt >= START_ATTEMPTS || !Ports.isBindFailure(e)) {
                    throw e;
                }
                LOG.debug("a port picked for Kafka was taken meanwhile; trying other ports", e);
            }
        }
    }

    private static EmbeddedKafka launch(Options options, Placement placement, int port, int controllerPort) {
        long t0 = System.nanoTime();
        Path dir = placement.dir();
        String where = BrokerConfig.hostPort(options.host(), port);
        Path logDir = createDirectories(dir.resolve("logs"));
        Properties props = BrokerConfig.properties(options, logDir, port, controllerPort);
        KafkaConfig config = new KafkaConfig(props, false);
        String clusterId = Storage.formatIfNeeded(logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        Admins admins = new Admins(where);
        long deadline = t0 + options.startTimeout().toNanos();
        try {
            startup(server, deadline, where, dir);
            admins.awaitReady(deadline, where + " (data in " + dir + ")");
        } catch (RuntimeException | Error e) {
            admins.close();
            shutdown(server);
            throw e;
        }
        LOG.info("Kafka broker ready at {} in {} ms (cluster {}, data in {})", where,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), clusterId, dir);
        return new EmbeddedKafka(server, placement, options.host(), port, controllerPort, clusterId, admins);
    }

    /** Runs {@code server.startup()} on its own thread so that a broker that hangs is reported. */
    private static void startup(KafkaRaftServer server, long deadline, String where, Path dir) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                server.startup();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "embedded-kafka-startup");
        t.setDaemon(true);
        t.start();
        try {
            done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka broker at " + where + " did not start in time (data in " + dir + ")");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException("Kafka broker at " + where + " failed to start (data in " + dir + "): "
                    + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the Kafka broker at " + where, e);
        }
    }

    /** "127.0.0.1:PORT", for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return BrokerConfig.hostPort(host, port);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The KRaft controller's port (clients never need it). */
    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return placement.dir();
    }

    public String clusterId() {
        return clusterId;
    }

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader.
     *
     * @return true if created, false if a topic of that name existed already (whatever its partitions)
     */
    public synchronized boolean createTopic(String name, int partitions) {
        requireOpen();
        NewTopic topic = new NewTopic(name, partitions, (short) 1);
        try {
            admins.get().createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new IllegalStateException("could not create topic " + name + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic " + name + " was not created within " + ADMIN_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
        admins.awaitLeaders(name, partitions, System.nanoTime() + ADMIN_TIMEOUT.toNanos());
        return true;
    }

    /** Shuts the broker down and waits for it; deletes the data directory if it was a temporary one. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        admins.close();
        shutdown(server);
        placement.lock().close();
        if (placement.owned() && !Storage.deleteTree(placement.dir())) {
            LOG.warn("could not delete the Kafka data directory {}", placement.dir());
        }
        LOG.info("Kafka broker at {} stopped in {} ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the Kafka broker at " + bootstrapServers() + " is closed");
        }
    }

    private static void shutdown(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("error while shutting the Kafka broker down", e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("memaudit-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for Kafka", e);
        }
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka data directory " + dir, e);
        }
    }

    /** The data directory, whether this broker created it (and deletes it), and its lock. */
    record Placement(Path dir, boolean owned, DirLock lock) {
    }

    /**
     * How to start the broker.
     *
     * @param dataDir          where the logs live; null = a new temporary directory, deleted on close
     * @param port             the client port; 0 = a free one (the controller port is always a free one)
     * @param host             the address both listeners bind and advertise
     * @param partitions       {@code num.partitions}: partitions of automatically created topics
     * @param autoCreateTopics {@code auto.create.topics.enable}
     * @param brokerProperties more broker properties; they override the ones set here
     * @param startTimeout     how long {@link #start} waits for the broker to answer
     */
    public record Options(Path dataDir, int port, String host, int partitions, boolean autoCreateTopics,
                          Map<String, String> brokerProperties, Duration startTimeout) {
        public static final String DEFAULT_HOST = "127.0.0.1";

        public Options {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(startTimeout, "startTimeout");
            Objects.requireNonNull(brokerProperties, "brokerProperties");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
            }
            brokerProperties = Map.copyOf(brokerProperties);
        }

        /** Temporary directory, free port, 127.0.0.1, 3 partitions, no auto-creation, 60 s to start. */
        public static Options defaults() {
            return new Options(null, 0, DEFAULT_HOST, 3, false, Map.of(), Duration.ofSeconds(60));
        }

        public Options withDataDir(Path dir) {
            return new Options(dir, port, host, partitions, autoCreateTopics, brokerProperties, startTimeout);
        }

        public Options withPort(int p) {
            return new Options(dataDir, p, host, partitions, autoCreateTopics, brokerProperties, startTimeout);
        }

        public Options withHost(String h) {
            return new Options(dataDir, port, h, partitions, autoCreateTopics, brokerProperties, startTimeout);
        }

        public Options withPartitions(int n) {
            return new Options(dataDir, port, host, n, autoCreateTopics, brokerProperties, startTimeout);
        }

        public Options withAutoCreateTopics(boolean on) {
            return new Options(dataDir, port, host, partitions, on, brokerProperties, startTimeout);
        }

        public Options withBrokerProperty(String key, String value) {
            Map<String, String> more = new TreeMap<>(brokerProperties);
            more.put(key, value);
            return new Options(dataDir, port, host, partitions, autoCreateTopics, more, startTimeout);
        }

        public Options withStartTimeout(Duration timeout) {
            return new Options(dataDir, port, host, partitions, autoCreateTopics, brokerProperties, timeout);
        }
    }
}
