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
    private static Path featureImage;

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
            // the feature image and the probe set, both also kept as files to score the same audit from file: URIs
            Path probes = ProbeImages.writeBlobs(root.resolve("probes"), 40, 7);
            try (var images = Files.list(probes)) {
                for (Path p : images.toList()) {
                    up.putObject(b -> b.bucket("ckpts").key("runs/probes/" + p.getFileName()), RequestBody.fromFile(p));
                }
            }
            featureImage = root.resolve("feature.png"); // a 6×6 patch of random grey levels
            java.awt.image.BufferedImage patch = new java.awt.image.BufferedImage(6, 6, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            java.util.Random rnd = new java.util.Random(8);
            for (int p = 0; p < 36; p++) {
                patch.getRaster().setSample(p % 6, p / 6, 0, rnd.nextInt(256));
            }
            javax.imageio.ImageIO.write(patch, "png", featureImage.toFile());
            up.putObject(b -> b.bucket("ckpts").key("runs/feature.png"), RequestBody.fromFile(featureImage));
            up.putObject(b -> b.bucket("private").key("feature.png"), RequestBody.fromFile(featureImage));
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

    /** {@link #event} with an image feature and a user probe set named by {@code imageUri} and {@code probeDir}. */
    private static String eventWithInputs(String runId, String modelUri, String imageUri, String probeDir) {
        com.google.gson.JsonObject e = Json.COMPACT.fromJson(event(runId, modelUri, null), com.google.gson.JsonObject.class);
        com.google.gson.JsonObject audit = e.getAsJsonObject("audit");
        audit.addProperty("probeSet", "dir:" + probeDir);
        audit.addProperty("probes", 30);
        audit.addProperty("controls", 25);
        com.google.gson.JsonObject f = new com.google.gson.JsonObject();
        f.addProperty("id", "the-patch");
        f.addProperty("kind", "image");
        f.addProperty("imageUri", imageUri);
        com.google.gson.JsonArray position = new com.google.gson.JsonArray();
        position.add(3);
        position.add(3);
        f.add("position", position);
        com.google.gson.JsonArray features = new com.google.gson.JsonArray();
        features.add(f);
        audit.add("features", features);
        return Json.COMPACT.toJson(e);
    }

    /**
     * Feature images and probe sets come through the same sources as the model: the audit read from
     * S3 is the audit read from files, bit for bit, and publishes the names the event used.
     */
    @Test
    void featureImagesAndProbeSetsOnS3GiveTheSameScoresAsFromFiles() throws Exception {
        Map<String, String> cfg = new HashMap<>(PipelineTest.topics("s3in"));
        cfg.put("memaudit.s3.allowed", "ckpts/runs/");
        cfg.put("memaudit.s3.endpoint", s3.endpoint.toString());
        cfg.put("memaudit.s3.path-style", "true");
        h.start(h.config("g-s3in", "w-s3in", cfg), WorkerListener.NONE);
        String model = "s3://ckpts/runs/r1/ckpt-0001/";
        h.publish("s3in.checkpoints", "from-s3", eventWithInputs("from-s3", model, "s3://ckpts/runs/feature.png", "s3://ckpts/runs/probes/"));
        h.publish("s3in.checkpoints", "from-files", eventWithInputs("from-files", model, featureImage.toUri().toString(),
                root.resolve("probes").toUri().toString()));
        h.publish("s3in.checkpoints", "image-not-allowed", eventWithInputs("image-not-allowed", model, "s3://private/feature.png",
                "s3://ckpts/runs/probes/"));
        h.publish("s3in.checkpoints", "no-probes", eventWithInputs("no-probes", model, "s3://ckpts/runs/feature.png",
                "s3://ckpts/runs/no-probes/"));

        Map<String, ScoreEvent> scores = PipelineTest.scores(h.readSettled("s3in.scores", 2, Duration.ofSeconds(120))).stream()
                .collect(Collectors.toMap(ScoreEvent::runId, s -> s));
        ScoreEvent fromS3 = scores.get("from-s3");
        ScoreEvent fromFiles = scores.get("from-files");
        assertEquals(fromFiles.mKl(), fromS3.mKl(), "the same bytes, the same audit");
        assertEquals(fromFiles.evidenceRank(), fromS3.evidenceRank());
        assertEquals("the-patch", fromS3.featureId());
        assertEquals("dir:s3://ckpts/runs/probes/", fromS3.probeSet());
        Map<String, DeadLetter> dead = h.readSettled("s3in.dlq", 2, Duration.ofSeconds(60)).stream()
                .map(r -> Json.COMPACT.fromJson(r.value(), DeadLetter.class))
                .collect(Collectors.toMap(d -> d.original().key(), d -> d));
        assertEquals("path-not-allowed", dead.get("image-not-allowed").error().kind(), dead.get("image-not-allowed").error().message());
        assertTrue(dead.get("image-not-allowed").error().message().contains("audit.features[0].imageUri"),
                dead.get("image-not-allowed").error().message());
        assertEquals("unknown-probe-set", dead.get("no-probes").error().kind(), dead.get("no-probes").error().message());
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
