package io.memaudit.cli.faults;

import io.memaudit.cli.CommandLineTestAccess;
import io.memaudit.common.data.ImageDirectoryTest;
import io.memaudit.kafka.EmbeddedKafka;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault suite: real `memaudit worker` processes against a real broker, killed, stopped and cut off
 * mid-stream, with poison, oversize and decompression-bomb records in the stream. Every case ends with
 * {@link FaultBench#verify}: each checkpoint has exactly one fresh score, each bad record exactly one
 * dead letter, every partition is committed to its end; and no worker's peak RSS passes 1.5 GiB.
 * Each case is bounded in time.
 */
class WorkerFaultIT {
    static final long RSS_LIMIT_MIB = 1536;
    static final Duration FINISH = Duration.ofSeconds(150);

    @TempDir
    static Path root;
    static Path data;
    static Path ckpt;

    @BeforeAll
    static void trainOneCheckpoint() throws Exception {
        data = root.resolve("data");
        ckpt = CommandLineTestAccess.tinyCheckpoint(root, data);
    }

    private static EmbeddedKafka broker(Path dir, int port) {
        // dead letters and poison records up to 8 MiB reach the worker (its own limit is 1 MiB)
        return EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir).withPort(port)
                .withBrokerProperty("message.max.bytes", String.valueOf(8 << 20)));
    }

    private static void poisonAndBombs(FaultBench b) throws Exception {
        b.publishPoison("poison", "{not json".getBytes(StandardCharsets.UTF_8));
        b.publishPoison("oversize", ("{\"pad\":\"" + "x".repeat(2 << 20) + "\"}").getBytes(StandardCharsets.UTF_8));
        Path bomb = Files.write(root.resolve(b.prefix + "-bomb.png"), ImageDirectoryTest.pngHeaderOnly(20000, 20000));
        b.publishImageFeature(ckpt, "bomb", bomb);
    }

    /** Peak RSS under the limit, and /health answered within its deadline whenever it was asked. */
    private static void assertBounded(WorkerProcess... workers) {
        for (WorkerProcess w : workers) {
            long mib = w.peakRssMib();
            System.out.println("fault suite: " + w.id + " peak RSS " + mib + " MiB, slowest /health " + w.slowestHealthMs() + " ms");
            assertTrue(mib < RSS_LIMIT_MIB, w.id + " peak RSS " + mib + " MiB, over " + RSS_LIMIT_MIB);
            assertEquals(List.of(), w.healthMisses(), w.id + ": /health missed its " + WorkerProcess.HEALTH_DEADLINE + " deadline");
        }
    }

    @Test
    void sigkillMidStreamLosesNothingAndRescoresNothing() throws Exception {
        try (EmbeddedKafka kafka = broker(root.resolve("k-kill"), 0)) {
            FaultBench b = new FaultBench(kafka, "kill", root, data);
            try (WorkerProcess a = WorkerProcess.start("kill-a", root, b.settings())) {
                b.publishCheckpoints(ckpt, 10, 3, "k");
                poisonAndBombs(b);
                a.awaitLog("step 2 ", Duration.ofSeconds(120));
                a.kill();
                try (WorkerProcess c = WorkerProcess.start("kill-b", root, b.settings())) {
                    b.verify(FINISH);
                    assertBounded(a, c);
                }
            }
        }
    }

    @Test
    void sigtermMidStreamDrainsAndTheNextWorkerFinishes() throws Exception {
        try (EmbeddedKafka kafka = broker(root.resolve("k-term"), 0)) {
            FaultBench b = new FaultBench(kafka, "term", root, data);
            try (WorkerProcess a = WorkerProcess.start("term-a", root, b.settings())) {
                b.publishCheckpoints(ckpt, 10, 3, "t");
                a.awaitLog("step 2 ", Duration.ofSeconds(120));
                int exit = a.terminate(Duration.ofSeconds(60));
                assertTrue(a.count("stopping: finishing in-flight checkpoints") == 1, "graceful stop, exit " + exit);
                assertEquals(0, exit, "a graceful stop on SIGTERM exits 0");
                try (WorkerProcess c = WorkerProcess.start("term-b", root, b.settings())) {
                    b.verify(FINISH);
                    assertBounded(a, c);
                }
            }
        }
    }

    @Test
    void twoWorkersOneKilledTheOtherTakesOver() throws Exception {
        try (EmbeddedKafka kafka = broker(root.resolve("k-two"), 0)) {
            FaultBench b = new FaultBench(kafka, "two", root, data);
            try (WorkerProcess a = WorkerProcess.start("two-a", root, b.settings());
                 WorkerProcess c = WorkerProcess.start("two-b", root, b.settings())) {
                b.publishCheckpoints(ckpt, 10, 3, "w");
                a.awaitLog("step 1 ", Duration.ofSeconds(120));
                long killedAt = System.currentTimeMillis();
                a.kill();
                b.verify(FINISH);
                System.out.println("fault suite: takeover after SIGKILL finished the stream in "
                        + (System.currentTimeMillis() - killedAt) + " ms");
                assertBounded(a, c);
            }
        }
    }

    @Test
    void brokerStopAndRestartMidStream() throws Exception {
        Path dir = root.resolve("k-restart");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        EmbeddedKafka kafka = broker(dir, port);
        FaultBench b = new FaultBench(kafka, "restart", root, data);
        try (WorkerProcess a = WorkerProcess.start("restart-a", root, b.settings())) {
            b.publishCheckpoints(ckpt, 5, 2, "r");
            a.awaitLog("step 1 ", Duration.ofSeconds(120));
            kafka.close();
            Thread.sleep(8000);
            kafka = broker(dir, port);
            FaultBench after = new FaultBench(kafka, "restart", root, data);
            after.expectScores.addAll(b.expectScores);
            after.publishCheckpoints(ckpt, 5, 1, "s");
            after.addPublished(b.published());
            after.verify(FINISH);
            assertBounded(a);
        } finally {
            kafka.close();
        }
    }
}
