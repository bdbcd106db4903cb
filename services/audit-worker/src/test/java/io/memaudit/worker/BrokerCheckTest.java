package io.memaudit.worker;

import io.memaudit.kafka.EmbeddedKafka;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check before any real work: one line naming the servers, the reason and the setting; as fast as the reason allows. */
class BrokerCheckTest {
    /** A port nobody listens on: bound, then closed. */
    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aRefusedConnectionFailsAtOnceNamingServersReasonAndOption() throws Exception {
        String servers = "127.0.0.1:" + closedPort();
        long start = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BrokerCheck.require(Map.of("bootstrap.servers", servers), Duration.ofSeconds(10), "--kafka"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("cannot reach Kafka at " + servers + " (connection refused; is the broker running? check --kafka)",
                e.getMessage());
        assertTrue(millis < 2000, "a refused connection does not wait for the 10 s timeout: " + millis + " ms");
    }

    @Test
    void aPortThatAcceptsButSpeaksNoKafkaFailsAfterTheTimeoutItReports() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> { // accepts and never answers, as a stuck or non-Kafka listener
                java.util.List<Socket> held = new java.util.ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (Exception done) {
                    held.forEach(s -> {
                        try {
                            s.close();
                        } catch (Exception ignored) {
                            // closing
                        }
                    });
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String servers = "127.0.0.1:" + silent.getLocalPort();
            long start = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> BrokerCheck.require(Map.of("bootstrap.servers", servers), Duration.ofMillis(800), "--bootstrap"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().startsWith("cannot reach Kafka at " + servers
                    + " (the port accepts connections, but no Kafka broker answered within "), e.getMessage());
            assertTrue(e.getMessage().endsWith("check --bootstrap)"), e.getMessage());
            double reported = Double.parseDouble(e.getMessage().replaceAll(".*answered within ([0-9.]+) s.*", "$1"));
            assertTrue(reported >= 0.8 && reported <= millis / 1000.0 + 0.05,
                    "the wait reported (" + reported + " s) is the one measured (" + millis + " ms)");
            assertTrue(millis < 3000, "the client is closed without waiting for its pending calls: " + millis + " ms");
        }
    }

    @Test
    void everyRefusedServerIsNamed() throws Exception {
        String a = "127.0.0.1:" + closedPort();
        String b = "127.0.0.1:" + closedPort();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BrokerCheck.require(Map.of("bootstrap.servers", a + "," + b), Duration.ofSeconds(5), "--kafka"));
        assertTrue(e.getMessage().contains(a + ": connection refused, " + b + ": connection refused"), e.getMessage());
    }

    @Test
    void serversThatAreNotHostPortAreBadInputNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerCheck.require(Map.of("bootstrap.servers", "localhost"), Duration.ofSeconds(1), "--kafka"));
        assertEquals("--kafka = 'localhost': expected a comma list of host:port ('localhost' is not host:port)", e.getMessage());
    }

    @Test
    @Tag("broker")
    void aRunningBrokerAnswersWithItsCluster() {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults())) {
            BrokerCheck.Cluster c = BrokerCheck.require(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    Duration.ofSeconds(10), "--kafka");
            assertEquals(1, c.brokers());
            assertTrue(c.id() != null && !c.id().isEmpty(), c.toString());
        }
    }
}
