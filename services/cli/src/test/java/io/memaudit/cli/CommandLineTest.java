package io.memaudit.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memaudit command end to end on a generated "mnist": train, score, reports, errors, --help. */
class CommandLineTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path run;

    record Outcome(int code, String out, String err) { }

    static Outcome memaudit(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeAll
    static void trainTinyRun() throws Exception {
        data = tmp.resolve("data");
        FakeMnist.install(data, 600, 300);
        run = tmp.resolve("run");
        Outcome o = memaudit("train", "--dataset", "mnist", "--epochs", "2", "--batch-size", "64", "--lr", "1e-3",
                "--out", run.toString(), "--data-dir", data.toString(), "--device", "cpu");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("test accuracy"), o.out());
    }

    private static String[] score(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("score", "--probes", "mnist-gray-28", "--n", "100",
                "--data-dir", data.toString(), "--device", "cpu"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void trainingIntoAnEarlierRunsDirectoryIsRefusedUnlessForced() throws Exception {
        java.nio.file.Path other = tmp.resolve("other-run");
        String[] train = {"train", "--dataset", "mnist", "--epochs", "1", "--batch-size", "64", "--out", other.toString(),
                "--data-dir", data.toString(), "--device", "cpu", "--seed", "9"};
        assertEquals(0, memaudit(train).code());
        String firstRunId = io.memaudit.common.model.CheckpointStore.readMetadata(other.resolve("ckpt-0001")).runId();
        java.nio.file.Path marker = java.nio.file.Files.writeString(other.resolve("ckpt-0009-from-elsewhere"), "x");
        Outcome again = memaudit(train);
        assertEquals(2, again.code(), again.err());
        assertTrue(again.err().contains("--out " + other + " is not empty") && again.err().contains("--force"), again.err());
        assertTrue(java.nio.file.Files.exists(marker), "nothing was touched");
        List<String> forced = new java.util.ArrayList<>(List.of(train));
        forced.add("--force");
        Outcome f = memaudit(forced.toArray(String[]::new));
        assertEquals(0, f.code(), f.err());
        assertFalse(java.nio.file.Files.exists(marker), "--force starts from an empty directory");
        String secondRunId = io.memaudit.common.model.CheckpointStore.readMetadata(other.resolve("ckpt-0001")).runId();
        assertNotEquals(firstRunId, secondRunId, "the same settings trained twice are two runs");
    }

    @Test
    void aDirectoryMixingTwoRunsIsRefusedNamingBoth() throws Exception {
        java.nio.file.Path mixed = tmp.resolve("mixed");
        for (String c : List.of("ckpt-0001", "ckpt-0002")) {
            java.nio.file.Files.createDirectories(mixed.resolve(c));
            try (var files = java.nio.file.Files.list(run.resolve(c))) {
                for (java.nio.file.Path f : files.toList()) {
                    java.nio.file.Files.copy(f, mixed.resolve(c).resolve(f.getFileName()));
                }
            }
        }
        java.nio.file.Path meta = mixed.resolve("ckpt-0002/metadata.json");
        String original = io.memaudit.common.model.CheckpointStore.readMetadata(mixed.resolve("ckpt-0002")).runId();
        java.nio.file.Files.writeString(meta, java.nio.file.Files.readString(meta).replace(original, "someone-elses-run"));
        Outcome o = memaudit(score("--all-checkpoints", mixed.toString()));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("holds checkpoints of 2 runs") && o.err().contains(original + ": ckpt-0001")
                && o.err().contains("someone-elses-run: ckpt-0002"), o.err());
        assertFalse(java.nio.file.Files.exists(mixed.resolve("scores.csv")), "nothing scored, nothing written");
    }

    @Test
    void datasetsListAsJsonIsOneObjectPerDataSet() {
        Outcome o = memaudit("datasets", "list", "--json", "--data-dir", data.toString());
        assertEquals(0, o.code(), o.err());
        List<com.google.gson.JsonObject> sets = o.out().lines()
                .map(l -> io.memaudit.common.util.Json.COMPACT.fromJson(l, com.google.gson.JsonObject.class)).toList();
        assertEquals(List.of("mnist", "fashion-mnist", "cifar10"), sets.stream().map(j -> j.get("name").getAsString()).toList());
        assertTrue(sets.get(0).get("fetched").getAsBoolean() && sets.get(0).get("bytes").getAsLong() > 0, sets.get(0).toString());
        assertFalse(sets.get(2).get("fetched").getAsBoolean(), sets.get(2).toString());
    }

    @Test
    void versionNamesTheBuildsVersionOnEveryCommand() throws Exception {
        String pomVersion = java.nio.file.Files.readString(java.nio.file.Path.of("pom.xml"))
                .replaceAll("(?s).*?<parent>.*?<version>([^<]+)</version>.*", "$1");
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"score", "--version"}, new String[] {"worker", "-V"})) {
            Outcome o = memaudit(args);
            assertEquals(0, o.code(), String.join(" ", args) + ": " + o.err());
            assertTrue(o.out().startsWith("memaudit " + pomVersion + "\n"), String.join(" ", args) + ": " + o.out());
        }
    }

    @Test
    void scoresOneCheckpointAsATableAndAsJson() {
        Outcome table = memaudit(score("--checkpoint", run.resolve("ckpt-0002").toString()));
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("M_KL") && table.out().contains("verdict"), table.out());
        Outcome json = memaudit(score("--checkpoint", run.resolve("ckpt-0002").toString(), "--json"));
        assertEquals(0, json.code(), json.err());
        JsonObject o = JsonParser.parseString(json.out()).getAsJsonObject();
        assertEquals(2, o.get("epoch").getAsInt());
        assertEquals("glyph:A", o.get("featureId").getAsString());
        int k = io.memaudit.common.feature.ControlFeatures.K;
        assertEquals(k, o.get("controls").getAsInt());
        int rank = o.get("controlRank").getAsInt();
        assertTrue(rank >= 1 && rank <= k + 1);
        assertEquals(Math.log(k + 1) / Math.log(2) - Math.log(rank) / Math.log(2), o.get("exposure").getAsDouble(), 1e-9);
        assertNotNull(o.get("mLabel"), "label known from the metadata");
        assertEquals("label-rank", o.get("evidence").getAsString(), "the label is known: M_label's rank decides");
        assertEquals(o.get("labelControlRank").getAsInt(), o.get("evidenceRank").getAsInt());
        assertEquals(o.get("evidenceRank").getAsInt() / (k + 1.0), o.get("evidenceP").getAsDouble(), 1e-12);
        assertNotEquals("memorised", o.get("verdict").getAsString(), "one checkpoint alone is never the run's verdict");
        assertTrue(table.out().contains("evidence") && table.out().contains("label-rank"), table.out());
    }

    @Test
    void scoresAllCheckpointsIntoCsvAndPng() throws Exception {
        Path reports = tmp.resolve("reports");
        Outcome o = memaudit(score("--all-checkpoints", run.toString(), "--out", reports.toString()));
        assertEquals(0, o.code(), o.err());
        List<String> csv = Files.readAllLines(reports.resolve("scores.csv"));
        assertEquals(3, csv.size(), "header + one row per checkpoint");
        assertTrue(csv.get(1).matches("mnist-mlp-plain-s7-c1-\\d{8}T\\d{6}Z-[0-9a-f]{4},1,.*"), csv.get(1));
        assertTrue(csv.get(2).matches("mnist-mlp-plain-s7-c1-\\d{8}T\\d{6}Z-[0-9a-f]{4},2,.*"), csv.get(2));
        assertEquals(900, ImageIO.read(reports.resolve("scores.png").toFile()).getWidth());
    }

    @Test
    void badInputGetsANamedErrorAndNonZeroExit() {
        Outcome missing = memaudit(score("--checkpoint", tmp.resolve("nope").toString()));
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope"), missing.err());
        Outcome probes = memaudit("score", "--checkpoint", run.resolve("ckpt-0001").toString(), "--probes", "imagenet",
                "--data-dir", data.toString());
        assertEquals(2, probes.code());
        assertTrue(probes.err().contains("imagenet") && probes.err().contains("cifar10-gray-28"), probes.err());
        Outcome tooMany = memaudit("score", "--checkpoint", run.resolve("ckpt-0001").toString(), "--probes",
                "mnist-gray-28", "--n", "5000", "--data-dir", data.toString());
        assertEquals(2, tooMany.code());
        assertTrue(tooMany.err().contains("5000"), tooMany.err());
        Outcome outside = memaudit(score("--checkpoint", run.resolve("ckpt-0001").toString(), "--uf", "glyph:B@26,3"));
        assertEquals(2, outside.code());
        assertTrue(outside.err().contains("26"), outside.err());
        // a preset of another shape is converted to the model's input (MNIST in grey at 28x28 here)
        Outcome otherShape = memaudit("score", "--checkpoint", run.resolve("ckpt-0001").toString(), "--probes",
                "mnist-rgb-32", "--n", "50", "--data-dir", data.toString());
        assertEquals(0, otherShape.code(), otherShape.err());
        assertTrue(otherShape.out().contains("mnist-rgb-32, N = 50"), otherShape.out());
        Outcome dataset = memaudit("train", "--dataset", "svhn", "--out", tmp.resolve("x").toString());
        assertEquals(2, dataset.code());
        assertTrue(dataset.err().contains("svhn"), dataset.err());
    }

    @Test
    void aTlsStartFailureNamesItsRootCause() {
        Outcome o = memaudit("worker", "--set", "memaudit.kafka.bootstrap.servers=127.0.0.1:1",
                "--set", "kafka.security.protocol=SSL", "--set", "kafka.ssl.truststore.location=" + tmp.resolve("no-such.jks"),
                "--set", "kafka.ssl.truststore.password=x", "--set", "memaudit.management.port=0");
        assertTrue(o.code() != 0, o.err());
        assertTrue(o.err().contains("no-such.jks"), "the missing truststore is named: " + o.err());
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] cmd : List.of(new String[] {"--help"}, new String[] {"train", "--help"}, new String[] {"score", "--help"},
                new String[] {"datasets", "fetch", "--help"}, new String[] {"datasets", "list", "--help"},
                new String[] {"bench", "score", "--help"}, new String[] {"demo", "--help"})) {
            Outcome o = memaudit(cmd);
            assertEquals(0, o.code(), String.join(" ", cmd));
            assertTrue(o.out().startsWith("Usage: memaudit"), o.out());
        }
    }
}
