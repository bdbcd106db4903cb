package io.memaudit.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.memaudit.cli.CommandLineTest.memaudit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench score --format onnx} on a user's model, small: the audit it times is the one it
 * counts — (3 + K)·N images at the K asked for — and it times the sequential audit too.
 */
class OnnxScoreBenchmarkTest {
    @TempDir
    Path tmp;

    @Test
    void countsTheImagesOfTheAuditItTimesAtTheGivenK() throws Exception {
        Path data = tmp.resolve("data");
        FakeMnist.install(data, 200, 100);
        FakeCifar.install(data, 40);
        Path model = TinyOnnx.cnn();
        CommandLineTest.Outcome o = memaudit("bench", "score", "--format", "onnx", "--onnx-model", model.toString(),
                "--input-shape", "1,28,28", "--classes", "10", "--mean", "0.1307", "--std", "0.3081",
                "--probes", "mnist-gray-28", "--n", "20", "--controls", "3", "--repeats", "1", "--warmup", "0",
                "--flops-per-image", "1000", "--data-dir", data.toString(), "--json");
        assertEquals(0, o.code(), o.err());
        JsonObject r = JsonParser.parseString(o.out()).getAsJsonObject(); // stdout holds only the JSON
        JsonObject m = r.getAsJsonObject("model");
        assertEquals((3 + 3) * 20, m.get("images").getAsInt());
        assertEquals(1000.0 * (3 + 3) * 20 / 1e9, m.get("gflop").getAsDouble(), 1e-12);
        assertTrue(m.get("sequentialMs").getAsDouble() > 0, m.toString());
        int probes = m.get("sequentialProbes").getAsInt();
        assertTrue(probes >= 2 && probes <= 20, "controls' probes in the sequential audit: " + probes);
        assertEquals(2.0 * (784 * 512 + 512 * 256 + 256 * 10) * (3 + 3) * 20 / 1e9,
                r.getAsJsonObject("mlp").get("gflop").getAsDouble(), 1e-9, "the MLP comparison at the same K");
        assertTrue(o.err().contains("images: full"), "the table goes to stderr with --json: " + o.err());
    }
}
