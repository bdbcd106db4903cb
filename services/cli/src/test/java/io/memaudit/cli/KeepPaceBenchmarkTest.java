package io.memaudit.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Set;

import static io.memaudit.cli.CommandLineTest.memaudit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench keep-pace}, small: every checkpoint's audit against the training before it, at the
 * sequential block asked for, and a bad model name refused before any training.
 */
class KeepPaceBenchmarkTest {
    @TempDir
    Path tmp;

    @Test
    void reportsEachCheckpointsAuditAgainstItsTrainingAtTheBlockAsked() throws Exception {
        Path data = tmp.resolve("data");
        FakeMnist.install(data, 300, 100);
        FakeCifar.install(data, 60);
        CommandLineTest.Outcome o = memaudit("bench", "keep-pace", "--models", "mlp", "--epochs", "2", "--n", "250",
                "--sequential-block", "60", "--warmup", "1", "--data-dir", data.toString(), "--device", "cpu", "--json");
        assertEquals(0, o.code(), o.err());
        JsonObject r = JsonParser.parseString(o.out()).getAsJsonObject();
        assertEquals(60, r.get("sequentialBlock").getAsInt());
        assertEquals(1, r.get("warmupAudits").getAsInt());
        JsonObject mlp = r.getAsJsonObject("models").getAsJsonObject("mlp");
        JsonArray rows = mlp.getAsJsonArray("checkpoints");
        assertEquals(2, rows.size(), "one checkpoint per epoch: " + mlp);
        for (JsonElement e : rows) {
            JsonObject row = e.getAsJsonObject();
            double train = row.get("trainMs").getAsDouble();
            double audit = row.get("auditMs").getAsDouble();
            assertTrue(train > 0 && audit > 0, row.toString());
            assertEquals(audit / train, row.get("fraction").getAsDouble(), 1e-12);
            int controlProbes = row.get("controlProbes").getAsInt();
            assertTrue(Set.of(60, 120, 180, 240, 250).contains(controlProbes), "looks every 60 probes, up to N: " + row);
            assertEquals(3L * 250 + 199L * controlProbes, row.get("images").getAsLong(), row.toString());
            assertEquals(row.get("floorMs").getAsDouble() / train, row.get("floorFraction").getAsDouble(), 1e-12);
        }
        assertTrue(mlp.get("gemmGflops").getAsDouble() > 0, mlp.toString());
    }

    @Test
    void anUnknownModelIsRefusedBeforeAnyTraining() {
        // without --json, so that training would announce itself on stderr
        CommandLineTest.Outcome o = memaudit("bench", "keep-pace", "--models", "mlp,resnet", "--data-dir",
                tmp.resolve("none").toString());
        assertEquals(Errors.BAD_INPUT, o.code(), o.err());
        assertTrue(o.err().contains("--models: 'resnet' is not mlp or cnn"), o.err());
        assertFalse(o.err().contains("training"), "nothing trained: " + o.err());
    }

    @Test
    void thePipelineBenchmarkChecksItsKeepPaceModelsBeforeItStarts() {
        CommandLineTest.Outcome o = memaudit("bench", "pipeline", "--keep-pace", "cnn,resnet", "--data-dir",
                tmp.resolve("none").toString());
        assertEquals(Errors.BAD_INPUT, o.code(), o.err());
        // a late check would fail first on the missing CIFAR-10 in the empty data directory, with another message
        assertTrue(o.err().contains("--keep-pace: 'resnet' is not mlp or cnn"), o.err());
    }
}
