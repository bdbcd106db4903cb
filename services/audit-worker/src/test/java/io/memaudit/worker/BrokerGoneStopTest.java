package io.memaudit.worker;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker whose broker has been gone for longer than a Kafka call's timeout still stops promptly.
 * Before: a lag report every 10 s, each blocking the consumer's one thread for default.api.timeout.ms
 * against no broker, queued up behind each other, and the consumer's close behind all of them.
 */
@Tag("broker")
class BrokerGoneStopTest {
    /**
     * Shorter than the 60 s default so that the test is short; still well over the 10 s between lag
     * reports, so that without the fix they pile up: after 50 s, about two more calls of 25 s each queued.
     */
    private static final long CALL_TIMEOUT_MS = 25_000;

    @Test
    void aWorkerStopsPromptlyAfterItsBrokerWasGoneForSeveralCallTimeouts(@TempDir Path root) throws Exception {
        try (PipelineHarness h = new PipelineHarness(root)) {
            Map<String, String> extra = new java.util.HashMap<>(PipelineTest.topics("gone"));
            extra.putAll(Map.of("memaudit.topics.partitions", "1", "memaudit.shutdown.timeout-ms", "1000",
                    "kafka.default.api.timeout.ms", Long.toString(CALL_TIMEOUT_MS), "kafka.request.timeout.ms", "10000"));
            CountDownLatch assigned = new CountDownLatch(1);
            AuditWorker w = h.start(h.config("g-gone", "gone", extra), new WorkerListener() {
                @Override
                public void partitionsAssigned(int partitions) {
                    if (partitions > 0) {
                        assigned.countDown();
                    }
                }
            });
            assertTrue(assigned.await(60, TimeUnit.SECONDS), "the worker was assigned its partition");
            h.kafka.close();
            Thread.sleep(2 * CALL_TIMEOUT_MS); // lag reports at 10 s intervals meet no broker

            long t0 = System.nanoTime();
            w.stop().toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertTrue(seconds < 10, "stopped in " + seconds + " s, not within 10 s");
        }
    }
}
