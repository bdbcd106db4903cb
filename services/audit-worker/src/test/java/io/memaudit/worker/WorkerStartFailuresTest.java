package io.memaudit.worker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.memaudit.worker.BrokerCheckTest.closedPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected start failures of the worker: at once, one line naming the setting (and where it was set). */
class WorkerStartFailuresTest {
    @Test
    void theWorkerStopsAtOnceNamingItsKeyAndWhereTheValueCameFrom() throws Exception {
        String servers = "127.0.0.1:" + closedPort();
        WorkerConfig cfg = WorkerConfig.load(null, Map.of("MEMAUDIT_KAFKA_BOOTSTRAP_SERVERS", servers),
                Map.of("memaudit.management.port", "0", "memaudit.management.host", "127.0.0.1"));
        Vertx vertx = Vertx.vertx();
        try {
            long start = System.nanoTime();
            ExecutionException e = assertThrows(ExecutionException.class, () -> AuditWorker.start(vertx, cfg, WorkerListener.NONE,
                    WorkerRuntime.newRegistry()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("cannot reach Kafka at " + servers + " (connection refused; is the broker running? check "
                    + "memaudit.kafka.bootstrap.servers [env MEMAUDIT_KAFKA_BOOTSTRAP_SERVERS])", e.getCause().getMessage());
            assertTrue(millis < 5000, "no 30 s wait for topics: " + millis + " ms");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** A variable that sets nothing is said at WARN when the worker starts, once, even when the start then fails. */
    @Test
    void configurationWarningsAreLoggedOnceAtStart() throws Exception {
        WorkerConfig cfg = WorkerConfig.load(null, Map.of("MEMAUDIT_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closedPort(),
                "MEMAUDIT_TOPIC_SCORE", "x"), Map.of("memaudit.management.port", "0", "memaudit.management.host", "127.0.0.1"));
        Logger logger = (Logger) LoggerFactory.getLogger(AuditWorker.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        Vertx vertx = Vertx.vertx();
        try {
            assertThrows(ExecutionException.class, () -> AuditWorker.start(vertx, cfg, WorkerListener.NONE,
                    WorkerRuntime.newRegistry()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
        } finally {
            logger.detachAppender(lines);
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        List<String> warnings = lines.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(List.of("configuration: environment variable MEMAUDIT_TOPIC_SCORE sets nothing; did you mean "
                + "MEMAUDIT_TOPIC_SCORES?"), warnings);
    }

    @Test
    void aTakenManagementPortNamesTheKeyBeforeKafkaIsTried() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            WorkerConfig cfg = WorkerConfig.of(Map.of("memaudit.kafka.bootstrap.servers", "127.0.0.1:" + closedPort(),
                    "memaudit.management.host", "127.0.0.1", "memaudit.management.port", String.valueOf(port)));
            Vertx vertx = Vertx.vertx();
            try {
                ExecutionException e = assertThrows(ExecutionException.class, () -> AuditWorker.start(vertx, cfg,
                        WorkerListener.NONE, WorkerRuntime.newRegistry()).toCompletionStage().toCompletableFuture()
                        .get(60, TimeUnit.SECONDS));
                StartupException s = assertInstanceOf(StartupException.class, e.getCause());
                assertEquals("memaudit.management.port [override] = " + port + ": 127.0.0.1:" + port + " is already in use "
                        + "(another worker or demo?); choose a free port, or 0 for any free one", s.getMessage());
                assertEquals("--management-port " + port + ": 127.0.0.1:" + port + " is already in use (another worker or "
                        + "demo?); choose a free port, or 0 for any free one", s.as("--management-port").getMessage());
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
