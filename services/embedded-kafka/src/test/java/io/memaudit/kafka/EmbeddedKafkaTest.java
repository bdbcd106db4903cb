package io.memaudit.kafka;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("broker")
class EmbeddedKafkaTest {
    private static final String HOST = "127.0.0.1";

    private static List<String> values(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).collect(Collectors.toList());
    }

    private static List<String> sorted(List<String> values) {
        List<String> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }

    @Test
    void producesAndConsumesInAGroupAndCommittedOffsetsAreNotReadAgain() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults())) {
            assertEquals(HOST + ":" + kafka.port(), kafka.bootstrapServers());
            assertTrue(kafka.createTopic("events", 3));
            assertFalse(kafka.createTopic("events", 3), "second creation reports an existing topic");
            List<String> sent = values("v", 10);
            TestClients.produce(kafka.bootstrapServers(), "events", sent);

            try (KafkaConsumer<String, String> c = TestClients.consumer(kafka.bootstrapServers(), "g1")) {
                c.subscribe(List.of("events"));
                List<String> got = TestClients.pollValues(c, 10, Duration.ofSeconds(30));
                assertEquals(sorted(sent), sorted(got));
                assertEquals(3, c.assignment().size(), "three partitions");
                c.commitSync();
            }
            try (KafkaConsumer<String, String> c = TestClients.consumer(kafka.bootstrapServers(), "g1")) {
                c.subscribe(List.of("events"));
                List<String> again = TestClients.pollValues(c, 1, Duration.ofSeconds(3));
                assertEquals(List.of(), again, "a restarted consumer resumes after the committed offsets");
                Map<TopicPartition, OffsetAndMetadata> committed = c.committed(c.assignment());
                long total = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
                assertEquals(10, total);
            }
        }
    }

    @Test
    void restartOnTheSameDataDirectoryKeepsClusterAndRecords(@TempDir Path dir) throws Exception {
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withDataDir(dir);
        String clusterId;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(options)) {
            clusterId = kafka.clusterId();
            kafka.createTopic("kept", 2);
            TestClients.produce(kafka.bootstrapServers(), "kept", values("r", 5));
        }
        assertTrue(Files.isRegularFile(dir.resolve("logs").resolve("meta.properties")), "an explicit directory is kept");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(options)) {
            assertEquals(clusterId, kafka.clusterId());
            assertFalse(kafka.createTopic("kept", 2), "the topic survived the restart");
            assertEquals(values("r", 5), sorted(TestClients.readAll(kafka.bootstrapServers(), "kept", "fresh", 5)));
        }
    }

    @Test
    void aDataDirectoryInUseIsNamedInTheError(@TempDir Path dir) throws Exception {
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withDataDir(dir);
        try (EmbeddedKafka first = EmbeddedKafka.start(options)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedKafka.start(options));
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
            assertTrue(first.createTopic("still-up", 1), "the first broker is unaffected");
        }
    }

    @Test
    void twoBrokersRunAtOnceOnDifferentPorts() throws Exception {
        try (EmbeddedKafka a = EmbeddedKafka.start(EmbeddedKafka.Options.defaults());
             EmbeddedKafka b = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withPartitions(1))) {
            assertNotEquals(a.port(), b.port());
            assertNotEquals(a.clusterId(), b.clusterId());
            a.createTopic("t", 1);
            b.createTopic("t", 1);
            TestClients.produce(a.bootstrapServers(), "t", List.of("from-a"));
            TestClients.produce(b.bootstrapServers(), "t", List.of("from-b"));
            assertEquals(List.of("from-a"), TestClients.readAll(a.bootstrapServers(), "t", "g", 1));
            assertEquals(List.of("from-b"), TestClients.readAll(b.bootstrapServers(), "t", "g", 1));
        }
    }

    @Test
    void closeReleasesThePortDeletesTheTemporaryDirectoryAndLeavesNoThreads() throws Exception {
        Set<Thread> nonDaemonBefore = nonDaemonThreads();
        Set<Thread> allBefore = Set.copyOf(Thread.getAllStackTraces().keySet());
        EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults());
        kafka.createTopic("x", 3);
        TestClients.produce(kafka.bootstrapServers(), "x", List.of("one"));
        assertFalse(newNames(nonDaemonThreads(), nonDaemonBefore).isEmpty(),
                "the broker runs non-daemon threads, which close must end");

        kafka.close();
        kafka.close();
        assertFalse(Files.exists(kafka.dataDir()), "the temporary directory is deleted");
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), kafka.port()));
        }
        assertThrows(IllegalStateException.class, () -> kafka.createTopic("y", 1));
        assertEquals(Set.of(), nonDaemonThreadsLeft(nonDaemonBefore), "non-daemon threads left by the broker");
        // Yammer metrics (Kafka's server metrics) keep a JVM-wide daemon ticker
        Set<String> left = newNames(Thread.getAllStackTraces().keySet(), allBefore);
        left.removeIf(name -> name.startsWith("metrics-meter-tick-thread"));
        assertEquals(Set.of(), left, "threads left by the broker and its clients");
    }

    @Test
    void aPortInUseIsNamedInTheError() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withPort(s.getLocalPort())));
            assertEquals("cannot start Kafka: port " + s.getLocalPort() + ": 127.0.0.1:" + s.getLocalPort()
                    + " is already in use (another broker?); choose a free port, or 0 for any free one", e.getMessage());
            assertEquals(s.getLocalPort(), ((PortInUseException) e).port());
        }
    }

    /** The port is free when checked but taken when the broker binds it: the same error, not three retries on it. */
    @Test
    void aPortTakenAfterTheCheckIsStillAPortInUse(@TempDir Path dir) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withPort(s.getLocalPort());
            long t0 = System.nanoTime();
            try (DirLock lock = DirLock.acquire(dir)) {
                PortInUseException e = assertThrows(PortInUseException.class,
                        () -> EmbeddedKafka.launchWithRetries(options, new EmbeddedKafka.Placement(dir, false, lock)));
                assertEquals(s.getLocalPort(), e.port());
                assertTrue(Ports.isBindFailure(e), "the broker's own bind failure is the cause");
            }
            assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "no waiting for a start timeout");
        }
    }

    private static Set<Thread> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    private static Set<String> newNames(Set<Thread> now, Set<Thread> before) {
        return now.stream().filter(t -> t.isAlive() && !before.contains(t))
                .map(Thread::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Names of non-daemon threads started since {@code before} that are still alive after up to 5 s. */
    private static Set<String> nonDaemonThreadsLeft(Set<Thread> before) throws InterruptedException {
        Set<String> left = Set.of();
        for (int i = 0; i < 50; i++) {
            left = newNames(nonDaemonThreads(), before);
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        return left;
    }
}
