package io.memaudit.worker;

import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.DeadLetter;
import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.TestCheckpoints;
import io.memaudit.common.util.Json;
import io.memaudit.common.util.S3rver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker scoring checkpoints that a trainer put on S3-compatible storage (s3rver), with a real
 * broker: a good one is scored, bad ones are dead-lettered with their kind and a reason, and the
 * worker goes on.
 */
@Tag("broker")
@Tag("ops")
class S3PipelineTest {
    @TempDir
    static Path root;
    private static PipelineHarness h;
    private static S3rver s3;
    private static Path ckpt;

    @BeforeAll
    static void start() throws Exception {
        h = new PipelineHarness(root);
        s3 = S3rver.start(Files.createDirectories(root.resolve("s3")), "ckpts", "private");
        System.setProperty("aws.accessKeyId", S3rver.KEY);
        System.setProperty("aws.secretAccessKey", S3rver.KEY);
        ckpt = root.resolve("run/ckpt-0001");
        TestCheckpoints.writeMlp(ckpt, 3);
        try (S3Client up = S3Client.builder().endpointOverride(s3.endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3rver.KEY, S3rver.KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build()).build()) {
            byte[] params = Files.readAllBytes(ckpt.resolve(CheckpointStore.PARAMS_FILE));
            up.putObject(b -> b.bucket("ckpts").key("runs/r1/ckpt-0001/" + CheckpointStore.PARAMS_FILE), RequestBody.fromBytes(params));
            up.putObject(b -> b.bucket("private").key("runs/r1/ckpt-0001/" + CheckpointStore.PARAMS_FILE), RequestBody.fromBytes(params));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
        if (s3 != null) {
            s3.close();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    /** The file event of {@code ckpt}, pointed at {@code uri} with {@code sha256}. */
    private static String event(String runId, String uri, String sha256) {
        CheckpointEvent e = Json.COMPACT.fromJson(PipelineTest.event(ckpt, runId, 1), CheckpointEvent.class);
        CheckpointEvent.ModelRef m = e.model();
        return Json.COMPACT.toJson(new CheckpointEvent(e.schemaVersion(), runId, e.step(), e.epoch(), e.createdAt(),
                new CheckpointEvent.ModelRef(uri, m.format(), m.architecture(), m.inputShape(), m.layout(), m.output(), m.classes(),
                        m.normalisation(), sha256), e.audit(), e.trainingMetrics()));
    }

    @Test
    void checkpointsOnS3AreScoredAndBadOnesDeadLetteredWithTheirKind() throws Exception {
        Map<String, String> cfg = new HashMap<>(PipelineTest.topics("s3"));
        cfg.put("memaudit.s3.allowed", "ckpts/runs/");
        cfg.put("memaudit.s3.endpoint", s3.endpoint.toString());
        cfg.put("memaudit.s3.path-style", "true");
        h.start(h.config("g-s3", "w-s3", cfg), WorkerListener.NONE);
        String sha = CheckpointStore.readMetadata(ckpt).paramsSha256();
        h.publish("s3.checkpoints", "missing", event("missing", "s3://ckpts/runs/r9/ckpt-0001/", null));
        h.publish("s3.checkpoints", "not-allowed", event("not-allowed", "s3://private/runs/r1/ckpt-0001/", null));
        h.publish("s3.checkpoints", "replaced", event("replaced", "s3://ckpts/runs/r1/ckpt-0001/", "0".repeat(64)));
        h.publish("s3.checkpoints", "good", event("good", "s3://ckpts/runs/r1/ckpt-0001/", sha));

        List<ScoreEvent> scores = PipelineTest.scores(h.readSettled("s3.scores", 1, Duration.ofSeconds(120)));
        assertEquals(List.of("good"), scores.stream().map(ScoreEvent::runId).toList(), scores.toString());
        assertEquals(sha, scores.get(0).modelSha256(), "the hash of the bytes read from S3");
        Map<String, DeadLetter> dead = h.readSettled("s3.dlq", 3, Duration.ofSeconds(60)).stream()
                .map(r -> Json.COMPACT.fromJson(r.value(), DeadLetter.class))
                .collect(Collectors.toMap(d -> d.original().key(), d -> d));
        assertEquals("checkpoint-missing", dead.get("missing").error().kind(), dead.get("missing").error().message());
        assertEquals("path-not-allowed", dead.get("not-allowed").error().kind(), dead.get("not-allowed").error().message());
        assertTrue(dead.get("not-allowed").error().message().contains("memaudit.s3.allowed"), dead.get("not-allowed").error().message());
        assertEquals("checkpoint-corrupt", dead.get("replaced").error().kind(), dead.get("replaced").error().message());
        assertTrue(dead.get("replaced").error().message().contains("s3://ckpts/runs/r1/ckpt-0001/"), dead.get("replaced").error().message());
    }
}
