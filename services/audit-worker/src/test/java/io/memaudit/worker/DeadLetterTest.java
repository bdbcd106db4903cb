package io.memaudit.worker;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.memaudit.common.events.DeadLetter;
import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.model.TestCheckpoints;
import io.memaudit.common.util.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of bad input lands on the dead-letter topic with its kind and a message, the original
 * record unchanged, its offset committed, and the next good event is still scored.
 */
@Tag("broker")
class DeadLetterTest {
    @TempDir
    static Path root;
    @TempDir
    static Path outside;
    static PipelineHarness h;
    static Path good;

    @BeforeAll
    static void setUp() throws Exception {
        h = new PipelineHarness(root);
        // an untrained MLP checkpoint (common's test fixture): these tests need a loadable checkpoint, not a trained one
        good = root.resolve("run/ckpt-0001");
        TestCheckpoints.writeMlp(good, 3);
    }

    @AfterAll
    static void tearDown() throws Exception {
        h.close();
    }

    /** A copy of the good checkpoint under {@code dir} for the test to damage. */
    static Path copy(Path base, String dir) throws Exception {
        Path to = base.resolve(dir);
        Files.createDirectories(to);
        for (String f : List.of("model.params", "metadata.json")) {
            Files.copy(good.resolve(f), to.resolve(f));
        }
        return to;
    }

    static JsonObject event(Path ckpt, String runId) {
        return JsonParser.parseString(PipelineTest.event(ckpt, runId, 1)).getAsJsonObject();
    }

    static JsonObject model(JsonObject e) {
        return e.getAsJsonObject("model");
    }

    @Test
    void badInputIsDeadLetteredAndTheNextGoodEventIsScored() throws Exception {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        Map<String, String> expected = new LinkedHashMap<>();
        bad(cases, expected, "invalid-json", "{not json", "invalid-json");
        cases.put("not-utf8", new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'});
        expected.put("not-utf8", "invalid-json");
        JsonObject e = event(good, "no-run-id");
        e.remove("runId");
        bad(cases, expected, "no-run-id", e.toString(), "schema-violation");
        e = event(good, "negative-step");
        e.addProperty("step", -3);
        bad(cases, expected, "negative-step", e.toString(), "schema-violation");
        e = event(good, "unknown-format");
        model(e).addProperty("format", "tflite");
        bad(cases, expected, "unknown-format", e.toString(), "schema-violation");
        e = event(good, "symbol-format");
        model(e).addProperty("format", "mxnet-symbol");
        bad(cases, expected, "symbol-format", e.toString(), "unsupported-format");
        e = event(good, "unknown-arch");
        model(e).addProperty("architecture", "resnet50");
        bad(cases, expected, "unknown-arch", e.toString(), "unknown-architecture");
        e = event(good, "missing");
        model(e).addProperty("uri", root.resolve("does-not-exist").toUri().toString());
        bad(cases, expected, "missing", e.toString(), "checkpoint-missing");
        bad(cases, expected, "truncated", truncated().toString(), "checkpoint-corrupt");
        bad(cases, expected, "corrupt", corrupt().toString(), "checkpoint-corrupt");
        e = event(good, "shape");
        model(e).addProperty("classes", 7);
        bad(cases, expected, "shape", e.toString(), "shape-mismatch");
        bad(cases, expected, "nan", nanWeights().toString(), "non-finite-weights");
        e = event(good, "probe-set");
        e.getAsJsonObject("audit").addProperty("probeSet", "imagenet-64");
        bad(cases, expected, "probe-set", e.toString(), "unknown-probe-set");
        e = event(good, "outside-image");
        JsonArray pos = new JsonArray();
        pos.add(26);
        pos.add(26);
        e.getAsJsonObject("audit").getAsJsonArray("features").get(0).getAsJsonObject().add("position", pos);
        bad(cases, expected, "outside-image", e.toString(), "feature-invalid");
        e = event(good, "traversal");
        model(e).addProperty("uri", root.toUri() + "run/../../../etc");
        bad(cases, expected, "traversal", e.toString(), "path-not-allowed");
        bad(cases, expected, "symlink", symlinkOut().toString(), "path-not-allowed");
        bad(cases, expected, "too-large", tooLarge().toString(), "file-too-large");
        bad(cases, expected, "random-params", randomParams().toString(), "checkpoint-corrupt");
        moreCases(cases, expected);
        e = event(good, "other-arch");
        model(e).addProperty("architecture", "cnn");
        model(e).remove("sha256");
        bad(cases, expected, "other-arch", e.toString(), "shape-mismatch");
        e = event(good, "classes-and-label");
        model(e).addProperty("classes", 3);
        e.getAsJsonObject("audit").getAsJsonArray("features").get(0).getAsJsonObject().addProperty("label", 7);
        bad(cases, expected, "classes-and-label", e.toString(), "shape-mismatch");
        bad(cases, expected, "png-bomb", bombFeature().toString(), "feature-invalid");
        bad(cases, expected, "onnx-classes", onnx("tiny-cnn.onnx", "onnx-classes", 7).toString(), "shape-mismatch");
        bad(cases, expected, "onnx-fixed-batch", onnx("tiny-cnn-fixed.onnx", "onnx-fixed-batch", 10).toString(), "shape-mismatch");
        bad(cases, expected, "onnx-two-inputs", onnx("two-inputs.onnx", "onnx-two-inputs", 10).toString(), "unsupported-model");
        bad(cases, expected, "onnx-opset", onnx("future-opset.onnx", "onnx-opset", 10).toString(), "unsupported-model");
        bad(cases, expected, "onnx-nan", onnx("nan-output.onnx", "onnx-nan", 10).toString(), "non-finite-output");
        bad(cases, expected, "onnx-garbage", onnxBytes(new byte[] {8, 7, 1, 2, 3}, "onnx-garbage").toString(), "checkpoint-corrupt");

        WorkerConfig cfg = h.config("g-dlq", "w-dlq", mergedTopics());
        h.start(cfg, WorkerListener.NONE);
        for (var c : cases.entrySet()) {
            h.publishBytes("dlq.checkpoints", c.getKey(), c.getValue());
        }
        h.publish("dlq.checkpoints", "good", PipelineTest.event(good, "good", 1));
        JsonObject k40 = JsonParser.parseString(PipelineTest.event(good, "good-k40", 1)).getAsJsonObject();
        k40.getAsJsonObject("audit").addProperty("controls", 40); // beyond the font: 35 glyphs + 5 random patterns
        h.publish("dlq.checkpoints", "good-k40", k40.toString());

        Map<String, DeadLetter> byKey = h.readSettled("dlq.dlq", cases.size(), Duration.ofSeconds(90)).stream()
                .map(r -> Json.COMPACT.fromJson(r.value(), DeadLetter.class))
                .collect(Collectors.toMap(d -> d.original().key(), d -> d));
        assertEquals(cases.keySet(), byKey.keySet(), "one dead letter per bad record, none for the good one");
        for (var c : expected.entrySet()) {
            DeadLetter d = byKey.get(c.getKey());
            assertEquals(c.getValue(), d.error().kind(), c.getKey() + ": " + d.error().message());
            assertFalse(d.error().message() == null || d.error().message().isBlank(), c.getKey());
            assertEquals("dlq.checkpoints", d.original().topic());
            assertFalse(d.error().message().contains("memaudit-staging"), c.getKey() + ": names the private copy, not the user's file: "
                    + d.error().message());
        }
        assertEquals("base64", byKey.get("not-utf8").original().valueEncoding());
        assertEquals("{not json", byKey.get("invalid-json").original().value(), "the original record is kept unchanged");
        assertTrue(byKey.get("traversal").error().message().contains("outside the allowed roots"));
        Map<String, ScoreEvent> scored = PipelineTest.scores(h.read("dlq.scores", 2, Duration.ofSeconds(60))).stream()
                .collect(Collectors.toMap(ScoreEvent::runId, s -> s));
        assertEquals(Set.of("good", "good-k40"), scored.keySet());
        assertEquals(io.memaudit.common.feature.ControlFeatures.K, scored.get("good").controls(), "no audit.controls: the default");
        assertEquals(40, scored.get("good-k40").controls(), "audit.controls is the K the worker ranks against");
        h.awaitCommitted("g-dlq", "dlq.checkpoints", cases.size() + 2, Duration.ofSeconds(30));
    }

    private static Map<String, String> mergedTopics() {
        Map<String, String> m = new LinkedHashMap<>(PipelineTest.topics("dlq"));
        m.put("memaudit.checkpoints.max-bytes", "3000000");
        return m;
    }

    private static void bad(Map<String, byte[]> cases, Map<String, String> expected, String key, String value, String kind) {
        cases.put(key, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        expected.put(key, kind);
    }

    private static JsonObject truncated() throws Exception {
        Path dir = copy(root, "truncated");
        byte[] p = Files.readAllBytes(dir.resolve("model.params"));
        Files.write(dir.resolve("model.params"), Arrays.copyOf(p, p.length / 2));
        JsonObject e = event(dir, "truncated");
        model(e).remove("sha256");
        return e;
    }

    private static JsonObject corrupt() throws Exception {
        Path dir = copy(root, "corrupt");
        JsonObject e = event(dir, "corrupt");
        byte[] p = Files.readAllBytes(dir.resolve("model.params"));
        p[p.length - 10] ^= 0x7f;
        Files.write(dir.resolve("model.params"), p);
        return e;
    }

    private static JsonObject nanWeights() throws Exception {
        Path dir = copy(root, "nan");
        CheckpointMetadata m = CheckpointStore.readMetadata(dir);
        try (NDManager nd = NDManager.newBaseManager(); Model model = CheckpointStore.load(dir, m, nd)) {
            model.getBlock().getParameters().get(0).getValue().getArray().set(new NDIndex("0"), Float.POSITIVE_INFINITY);
            CheckpointStore.write(dir, model.getBlock(), m);
        }
        return event(dir, "nan");
    }

    private static JsonObject symlinkOut() throws Exception {
        Path target = copy(outside, "elsewhere");
        Path link = root.resolve("link");
        Files.createSymbolicLink(link, target);
        return event(link, "symlink");
    }

    /** One event of the good checkpoint, changed by {@code change}, expected to end as a dead letter of {@code kind}. */
    private static void variant(Map<String, byte[]> cases, Map<String, String> expected, String key, String kind,
                                java.util.function.Consumer<JsonObject> change) {
        JsonObject e = event(good, key);
        change.accept(e);
        bad(cases, expected, key, e.toString(), kind);
    }

    private static JsonObject feature0(JsonObject e) {
        return e.getAsJsonObject("audit").getAsJsonArray("features").get(0).getAsJsonObject();
    }

    /** The rest of the corpus: one case per rule a user can break, each with the kind it must get. */
    private static void moreCases(Map<String, byte[]> cases, Map<String, String> expected) throws Exception {
        bad(cases, expected, "array", "[]", "schema-violation");
        bad(cases, expected, "number", "42", "schema-violation");
        String schema = "schema-violation";
        variant(cases, expected, "version-2", schema, e -> e.addProperty("schemaVersion", 2));
        variant(cases, expected, "run-id-space", schema, e -> e.addProperty("runId", "my run"));
        variant(cases, expected, "run-id-empty", schema, e -> e.addProperty("runId", ""));
        variant(cases, expected, "step-text", schema, e -> e.addProperty("step", "7"));
        variant(cases, expected, "epoch-negative", schema, e -> e.addProperty("epoch", -1));
        variant(cases, expected, "created-no-zone", schema, e -> e.addProperty("createdAt", "2026-12-02T08:00:00"));
        variant(cases, expected, "no-model", schema, e -> e.remove("model"));
        variant(cases, expected, "no-audit", schema, e -> e.remove("audit"));
        variant(cases, expected, "unknown-top", schema, e -> e.addProperty("weights", "x"));
        variant(cases, expected, "shape-two", schema, e -> {
            JsonArray a = new JsonArray();
            a.add(28);
            a.add(28);
            model(e).add("inputShape", a);
        });
        variant(cases, expected, "one-class", schema, e -> model(e).addProperty("classes", 1));
        variant(cases, expected, "std-zero", schema, e -> {
            JsonArray a = new JsonArray();
            a.add(0);
            model(e).getAsJsonObject("normalisation").add("std", a);
        });
        variant(cases, expected, "norm-3-for-1", schema, e -> {
            JsonArray a = new JsonArray();
            a.add(0.5);
            a.add(0.5);
            a.add(0.5);
            model(e).getAsJsonObject("normalisation").add("mean", a);
            model(e).getAsJsonObject("normalisation").add("std", a);
        });
        variant(cases, expected, "no-features", schema, e -> e.getAsJsonObject("audit").add("features", new JsonArray()));
        variant(cases, expected, "kind-sticker", schema, e -> feature0(e).addProperty("kind", "sticker"));
        variant(cases, expected, "glyph-no-letter", schema, e -> feature0(e).remove("letter"));
        variant(cases, expected, "glyph-lower", schema, e -> feature0(e).addProperty("letter", "a"));
        variant(cases, expected, "feature-ids-twice", schema, e -> {
            JsonArray fs = e.getAsJsonObject("audit").getAsJsonArray("features");
            fs.add(fs.get(0).deepCopy());
        });
        variant(cases, expected, "probes-one", schema, e -> e.getAsJsonObject("audit").addProperty("probes", 1));
        variant(cases, expected, "probes-over-max", schema, e -> e.getAsJsonObject("audit").addProperty("probes", 30000));
        variant(cases, expected, "controls-over-schema", schema, e -> e.getAsJsonObject("audit").addProperty("controls", 1001));
        variant(cases, expected, "controls-over-worker-max", schema, e -> e.getAsJsonObject("audit").addProperty("controls", 500));
        variant(cases, expected, "layout-chw", schema, e -> model(e).addProperty("layout", "CHW"));
        variant(cases, expected, "output-softmax", schema, e -> model(e).addProperty("output", "softmax"));
        variant(cases, expected, "scale-zero", schema, e -> feature0(e).addProperty("scale", 0));
        variant(cases, expected, "label-negative", schema, e -> feature0(e).addProperty("label", -1));
        variant(cases, expected, "metric-text", schema, e -> {
            JsonObject m = new JsonObject();
            m.addProperty("loss", "low");
            e.add("trainingMetrics", m);
        });
        variant(cases, expected, "text-too-long", schema, e -> {
            JsonObject f = feature0(e);
            f.addProperty("kind", "text");
            f.remove("letter");
            f.addProperty("text", "X".repeat(201));
        });
        variant(cases, expected, "uri-relative", schema, e -> model(e).addProperty("uri", "ckpt-0001"));
        // remote schemes have sources, but this worker allows no host and no bucket: refused before any request
        variant(cases, expected, "uri-http", "path-not-allowed", e -> model(e).addProperty("uri", "http://127.0.0.1:1/model.params"));
        variant(cases, expected, "uri-https", "path-not-allowed", e -> model(e).addProperty("uri", "https://127.0.0.1:1/model.params"));
        variant(cases, expected, "uri-s3", "path-not-allowed", e -> model(e).addProperty("uri", "s3://bucket/run/ckpt-0001/"));
        variant(cases, expected, "uri-ftp", "unsupported-format", e -> model(e).addProperty("uri", "ftp://127.0.0.1:1/model.params"));
        variant(cases, expected, "uri-passwd", "path-not-allowed", e -> model(e).addProperty("uri", "file:///etc/passwd"));
        variant(cases, expected, "uri-encoded-dots", "path-not-allowed",
                e -> model(e).addProperty("uri", root.toUri() + "run/%2e%2e/%2e%2e/%2e%2e/etc"));
        variant(cases, expected, "probes-dir-outside", "path-not-allowed",
                e -> e.getAsJsonObject("audit").addProperty("probeSet", "dir:" + outside.toUri()));
        variant(cases, expected, "probes-dir-missing", "unknown-probe-set",
                e -> e.getAsJsonObject("audit").addProperty("probeSet", "dir:" + root.resolve("no-probes").toUri()));
        variant(cases, expected, "params-as-onnx", "checkpoint-corrupt", e -> {
            model(e).addProperty("format", "onnx");
            model(e).addProperty("uri", good.resolve("model.params").toUri().toString());
            model(e).remove("sha256");
        });
        variant(cases, expected, "image-missing", "checkpoint-missing", e -> {
            JsonObject f = feature0(e);
            f.addProperty("kind", "image");
            f.remove("letter");
            f.addProperty("imageUri", root.resolve("no-such.png").toUri().toString());
        });
        variant(cases, expected, "sha-wrong", "checkpoint-corrupt", e -> model(e).addProperty("sha256", "0".repeat(64)));
    }

    private static JsonObject randomParams() throws Exception {
        Path dir = copy(root, "random-params");
        byte[] junk = new byte[20_000];
        new java.util.Random(5).nextBytes(junk);
        Files.write(dir.resolve("model.params"), junk);
        JsonObject e = event(dir, "random-params");
        model(e).remove("sha256");
        return e;
    }

    /** A 1 KB PNG whose header declares 20000×20000 RGBA as an image feature: refused before decoding. */
    private static JsonObject bombFeature() throws Exception {
        Path bomb = Files.write(root.resolve("bomb.png"), io.memaudit.common.data.ImageDirectoryTest.pngHeaderOnly(20000, 20000));
        JsonObject e = event(good, "png-bomb");
        JsonObject f = new JsonObject();
        f.addProperty("id", "bomb");
        f.addProperty("kind", "image");
        f.addProperty("imageUri", bomb.toUri().toString());
        JsonArray pos = new JsonArray();
        pos.add(1);
        pos.add(1);
        f.add("position", pos);
        JsonArray features = new JsonArray();
        features.add(f);
        e.getAsJsonObject("audit").add("features", features);
        return e;
    }

    /** An ONNX checkpoint event for one of common's ONNX test models, declaring {@code classes} classes. */
    private static JsonObject onnx(String fixture, String key, int classes) throws Exception {
        Path repo = PythonRuns.clients().getParent().getParent();
        JsonObject e = onnxBytes(Files.readAllBytes(repo.resolve("common/src/test/resources/onnx").resolve(fixture)), key);
        model(e).addProperty("classes", classes);
        return e;
    }

    private static JsonObject onnxBytes(byte[] file, String key) throws Exception {
        Path dir = root.resolve(key);
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.onnx"), file);
        JsonObject e = event(good, key);
        model(e).addProperty("uri", dir.toUri().toString());
        model(e).addProperty("format", "onnx");
        model(e).remove("architecture");
        model(e).remove("sha256");
        return e;
    }

    private static JsonObject tooLarge() throws Exception {
        Path dir = root.resolve("big");
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.params"), new byte[3_500_000]);
        Files.copy(good.resolve("metadata.json"), dir.resolve("metadata.json"));
        JsonObject e = event(good, "too-large");
        model(e).addProperty("uri", dir.toUri().toString());
        model(e).remove("sha256");
        return e;
    }
}
