package io.memaudit.worker;

import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.model.TestCheckpoints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /metrics (scores, build info, the Kafka clients' own metrics), /health, /ready and /api of a worker
 * fed through a real broker; promtool accepts the metrics.
 */
@Tag("broker")
class ManagementEndpointsTest {
    @TempDir
    static Path root;
    static PipelineHarness h;
    static AuditWorker worker;
    static Path ckpt;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void setUp() throws Exception {
        h = new PipelineHarness(root);
        // an untrained MLP checkpoint (common's test fixture): these tests need a loadable checkpoint, not a trained one
        ckpt = root.resolve("run/ckpt-0001");
        TestCheckpoints.writeMlp(ckpt, 3);
        AtomicInteger done = new AtomicInteger();
        WorkerListener count = new WorkerListener() {
            @Override
            public void scored(ScoreEvent s) { done.incrementAndGet(); }

            @Override
            public void deadLettered(io.memaudit.common.events.ErrorKind kind) { done.incrementAndGet(); }
        };
        worker = h.start(h.config("g-mgmt", "w-mgmt", PipelineTest.topics("mgmt")), count);
        h.publish("mgmt.checkpoints", "metrics-run", PipelineTest.event(ckpt, "metrics-run", 5));
        h.publish("mgmt.checkpoints", "broken", "{oops");
        h.awaitTrue(() -> done.get() == 2, Duration.ofSeconds(60));
    }

    @AfterAll
    static void tearDown() throws Exception {
        h.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.managementPort() + path)).timeout(java.time.Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsCarryTheLatestScoresAndOutcomes() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        String m = r.body();
        for (String score : List.of("memaudit_sensitivity_kl_nats", "memaudit_sensitivity_label_nats", "memaudit_sensitivity_prob_max_ratio", "memaudit_exposure_shannons")) {
            assertTrue(m.contains(score + "{feature_id=\"glyph:A\",run_id=\"metrics-run\"}"), score + " in\n" + m);
        }
        assertTrue(!m.contains("memaudit_sensitivity_score"), "the mixed-unit gauge is gone");
        assertTrue(m.contains("memaudit_checkpoint_step{run_id=\"metrics-run\"} 5.0"), "step is a value, not a label");
        assertTrue(m.contains("memaudit_checkpoints_total{outcome=\"scored\"} 1.0"));
        assertTrue(m.contains("memaudit_checkpoints_total{outcome=\"dead_lettered\"} 1.0"));
        assertTrue(m.contains("memaudit_dead_letters_total{error_kind=\"invalid-json\"} 1.0"));
        assertTrue(m.contains("memaudit_checkpoints_received_total 2.0"));
        assertTrue(m.contains("memaudit_scoring_duration_seconds_bucket{le="), "histogram buckets");
        assertTrue(m.contains("memaudit_verdict{feature_id=\"glyph:A\",run_id=\"metrics-run\",verdict=\"memorised\"}"));
        assertTrue(m.contains("jvm_memory_used_bytes"), "JVM metrics");
        assertTrue(m.contains("vertx_"), "Vert.x metrics");
        assertTrue(m.contains("# HELP memaudit_control_rank "), "every metric is described");
    }

    @Test
    void buildInfoNamesVersionJavaAndEngine() throws Exception {
        String m = get("/metrics").body();
        Matcher b = Pattern.compile("(?m)^memaudit_build_info\\{([^}]*)} 1(\\.0)?$").matcher(m);
        assertTrue(b.find(), "no memaudit_build_info 1 in\n" + m);
        String labels = b.group(1);
        assertTrue(labels.matches(".*\\bversion=\"\\d+\\.\\d+\\.\\d+[^\"]*\".*"), "version: " + labels);
        assertTrue(labels.contains("java=\"" + System.getProperty("java.version") + "\""), "java: " + labels);
        assertTrue(labels.contains("engine=\"MXNet\""), "engine: " + labels);
        assertTrue(labels.contains("revision=\""), "revision: " + labels);
        assertTrue(m.contains("# HELP memaudit_build_info "), "described");
    }

    /** Micrometer's KafkaClientMetrics on the checkpoint consumer and the publisher's producer. */
    @Test
    void kafkaClientMetricsOfTheConsumerAndThePublisher() throws Exception {
        String m = get("/metrics").body();
        Matcher consumed = Pattern.compile("(?m)^kafka_consumer_fetch_manager_records_consumed_total\\{[^}]*client_id=\"w-mgmt-checkpoints\"[^}]*} (\\S+)$")
                .matcher(m);
        assertTrue(consumed.find(), "no records-consumed metric of the checkpoint consumer in\n" + m);
        assertTrue(Double.parseDouble(consumed.group(1)) >= 2, "the consumer read the 2 events: " + consumed.group());
        assertTrue(Pattern.compile("(?m)^kafka_producer_record_send_total\\{[^}]*client_id=\"w-mgmt-publisher\"").matcher(m).find(),
                "no kafka_producer_ metric of the publisher in\n" + m);
    }

    @Test
    void promtoolAcceptsTheMetrics() throws Exception {
        String body = get("/metrics").body();
        Process p;
        try {
            p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is not installed: run deploy/install-tools.sh (Debian package prometheus)", e);
        }
        p.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
    }

    @Test
    void healthReadyAndRunHistory() throws Exception {
        assertEquals(200, get("/health").statusCode());
        HttpResponse<String> ready = get("/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"kafka\":\"reachable\""), ready.body());
        HttpResponse<String> runs = get("/api/runs");
        assertTrue(runs.body().contains("\"runId\":\"metrics-run\""), runs.body());
        HttpResponse<String> scores = get("/api/runs/metrics-run/scores");
        assertEquals(200, scores.statusCode());
        assertTrue(scores.body().contains("\"step\":5"), scores.body());
        assertEquals(404, get("/api/runs/nobody/scores").statusCode());
        assertEquals(404, get("/nope").statusCode());
    }

    @Test
    void aTokenGuardsMetricsAndApiButNotTheProbes() throws Exception {
        AuditWorker guarded = h.start(h.config("g-token", "w-token", Map.of("memaudit.topic.checkpoints", "token.checkpoints",
                "memaudit.management.token", "s3cret", "memaudit.management.host", "127.0.0.1")), WorkerListener.NONE);
        String base = "http://127.0.0.1:" + guarded.managementPort();
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(java.time.Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/runs")).timeout(java.time.Duration.ofSeconds(30))
                .header("Authorization", "Bearer guess").timeout(java.time.Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, wrong.statusCode());
        HttpResponse<String> right = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(java.time.Duration.ofSeconds(30))
                .header("Authorization", "Bearer s3cret").timeout(java.time.Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, right.statusCode());
        assertTrue(right.body().contains("memaudit_checkpoints_received_total"));
        for (String probe : new String[] {"/health", "/ready"}) {
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(base + probe)).timeout(java.time.Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), probe);
        }
        h.closeWorker(guarded);
    }

    @Test
    void aFinishedRunsSeriesAndHistoryAreRemovedAfterTheGracePeriod() throws Exception {
        AuditWorker w = h.start(h.config("g-expire", "w-expire", Map.of("memaudit.topic.checkpoints", "expire.checkpoints",
                "memaudit.topic.scores", "expire.scores", "memaudit.metrics.run-grace-ms", "1000")), WorkerListener.NONE);
        h.publish("expire.checkpoints", "short-run", PipelineTest.event(ckpt, "short-run", 1));
        h.read("expire.scores", 1, Duration.ofSeconds(60));
        String series = "memaudit_checkpoint_step{run_id=\"short-run\"}";
        h.awaitTrue(() -> w.registry().scrape().contains(series), Duration.ofSeconds(10));
        // the consumer's housekeeping runs every 10 s: within 25 s the run has been idle for its 1 s grace
        h.awaitTrue(() -> !w.registry().scrape().contains(series), Duration.ofSeconds(25));
        HttpResponse<String> runs = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + w.managementPort()
                + "/api/runs")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(!runs.body().contains("short-run"), runs.body());
        h.closeWorker(w);
    }
}
