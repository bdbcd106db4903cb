package io.memaudit.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.memaudit.cli.CommandLineTest.memaudit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code score --model} for a user's ONNX file and {@code probes export}, as a user types them. */
class OnnxCommandsTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path model;

    @BeforeAll
    static void setUp() throws Exception {
        data = tmp.resolve("data");
        FakeMnist.install(data, 600, 300);
        model = TinyOnnx.cnn();
    }

    private static String[] scoreModel(String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("score", "--model", model.toString(),
                "--probes", "mnist-gray-28", "--n", "60", "--data-dir", data.toString(), "--device", "cpu", "--uf", "glyph:A"));
        args.addAll(java.util.List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void anOnnxFileIsScoredFromItsDescriptionOnTheCommandLine() {
        CommandLineTest.Outcome o = memaudit(scoreModel("--input-shape", "1,28,28", "--classes", "10", "--mean", "0.1307",
                "--std", "0.3081", "--json"));
        assertEquals(0, o.code(), o.err());
        JsonObject s = JsonParser.parseString(o.out()).getAsJsonObject();
        assertEquals("glyph:A", s.get("featureId").getAsString());
        assertTrue(s.get("engine").getAsString().startsWith("ONNX Runtime"), s.toString());
        assertEquals(64, s.get("modelSha256").getAsString().length());
        assertEquals(io.memaudit.common.feature.ControlFeatures.K, s.get("controls").getAsInt());
    }

    /** A hook checkpoint (a model file, no metadata.json) given as --checkpoint: the error says how to score it. */
    @Test
    void aCheckpointWithAModelFileButNoMetadataPointsToModel() throws Exception {
        Path ckpt = tmp.resolve("hook-run/ckpt-0001");
        Files.createDirectories(ckpt);
        Files.copy(model, ckpt.resolve("model.onnx"));
        CommandLineTest.Outcome o = memaudit("score", "--checkpoint", ckpt.toString(), "--data-dir", data.toString(),
                "--device", "cpu");
        assertTrue(o.code() != 0, o.out());
        assertTrue(o.err().contains("no metadata.json") && o.err().contains("--model " + ckpt.resolve("model.onnx")), o.err());
    }

    @Test
    void missingOrWrongDescriptionsAreNamed() {
        CommandLineTest.Outcome noShape = memaudit(scoreModel("--classes", "10", "--mean", "0.1307", "--std", "0.3081"));
        assertEquals(2, noShape.code());
        assertTrue(noShape.err().contains("--input-shape is required with --model"), noShape.err());
        CommandLineTest.Outcome wrong = memaudit(scoreModel("--input-shape", "1,28,28", "--classes", "12", "--mean", "0.1307",
                "--std", "0.3081"));
        assertEquals(1, wrong.code());
        assertTrue(wrong.err().contains("[batch, 12]"), wrong.err());
        CommandLineTest.Outcome channels = memaudit(scoreModel("--input-shape", "1,28,28", "--classes", "10", "--mean",
                "0.1,0.2", "--std", "0.3,0.3"));
        assertEquals(2, channels.code());
        assertTrue(channels.err().contains("2 channel(s) but inputShape has 1"), channels.err());
    }

    @Test
    void probesExportWritesTheExactTensorsWithAManifest() throws Exception {
        Path out = tmp.resolve("export");
        CommandLineTest.Outcome o = memaudit("probes", "export", "--uf", "glyph:A", "--probes", "mnist-gray-28", "--n", "20",
                "--input-shape", "1,28,28", "--mean", "0.1307", "--std", "0.3081", "--data-dir", data.toString(),
                "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        JsonObject manifest = JsonParser.parseString(Files.readString(out.resolve("manifest.json"))).getAsJsonObject();
        assertEquals(20, manifest.get("n").getAsInt());
        assertEquals(io.memaudit.common.feature.ControlFeatures.K + 1, manifest.getAsJsonArray("featureIds").size());
        byte[] feature = Files.readAllBytes(out.resolve("feature-000.npy"));
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, java.util.Arrays.copyOf(feature, 8));
        String header = new String(feature, 10, 118, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(header.contains("'shape': (20, 1, 28, 28)"), header);
        assertEquals(128 + 20 * 28 * 28 * 4, feature.length, "64-byte aligned header, then float32 data");
        CommandLineTest.Outcome again = memaudit("probes", "export", "--uf", "glyph:A", "--probes", "mnist-gray-28", "--n", "20",
                "--input-shape", "1,28,28", "--mean", "0.1307", "--std", "0.3081", "--data-dir", data.toString(),
                "--out", out.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("is not empty"), again.err());
    }
}
