package io.memaudit.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.memaudit.kafka.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `memaudit worker` in its own JVM against a real broker, fed by the reference trainer publishing live
 * (`train --kafka`) and by `memaudit publish`: one score per checkpoint in step order, a re-published
 * checkpoint marked as a duplicate; SIGTERM stops it gracefully with every offset committed.
 */
@Tag("broker")
class WorkerCommandTest {
    @TempDir
    Path tmp;

    @Test
    void scoresALiveTrainingRunAndAPublishedCheckpointThenStopsGracefullyOnSigterm() throws Exception {
        Path data = tmp.resolve("data");
        FakeMnist.install(data, 300, 200);
        Path run = tmp.resolve("run");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults())) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process worker = new ProcessBuilder(java.toString(), "-Dai.djl.offline=true", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "worker",
                    "--set", "memaudit.kafka.bootstrap.servers=" + kafka.bootstrapServers(),
                    "--set", "memaudit.checkpoints.allowed-roots=" + tmp,
                    "--set", "memaudit.data.dir=" + data,
                    "--set", "memaudit.management.port=0",
                    "--set", "memaudit.scoring.devices=cpu").redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("worker.log").toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            awaitLine(worker, tmp.resolve("worker.log"), "running", Duration.ofSeconds(90));
            CommandLineTest.Outcome train = CommandLineTest.memaudit("train", "--dataset", "mnist", "--epochs", "2",
                    "--batch-size", "64", "--out", run.toString(), "--data-dir", data.toString(), "--device", "cpu",
                    "--kafka", kafka.bootstrapServers(), "--audit-probes", "mnist-gray-28", "--audit-n", "50");
            assertEquals(0, train.code(), train.err());
            List<JsonObject> live = readScores(kafka.bootstrapServers(), 2);
            assertEquals(List.of(1L, 2L), live.stream().map(s -> s.get("epoch").getAsLong()).toList(), "one score per epoch, in order");
            assertTrue(live.stream().noneMatch(s -> s.get("duplicate").getAsBoolean()), live.toString());
            CommandLineTest.Outcome pub = CommandLineTest.memaudit("publish", "--kafka", kafka.bootstrapServers(),
                    "--checkpoint", run.resolve("ckpt-0001").toString(), "--probes", "mnist-gray-28", "--n", "50");
            assertEquals(0, pub.code(), pub.err());
            List<JsonObject> all = readScores(kafka.bootstrapServers(), 3);
            JsonObject again = all.get(2);
            assertTrue(again.get("duplicate").getAsBoolean(), "the same run, step and feature again is a duplicate: " + again);
            assertEquals(live.get(0).get("mKl").getAsDouble(), again.get("mKl").getAsDouble(), 0.0, "the duplicate repeats the first result");
            worker.destroy(); // SIGTERM
            assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "worker did not stop within 60 s of SIGTERM");
            String log = Files.readString(tmp.resolve("worker.log"));
            assertTrue(log.contains("stopping: finishing in-flight checkpoints"), "exit " + worker.exitValue() + ":\n" + log);
            assertEquals(0, worker.exitValue(), "a clean stop on SIGTERM is a success:\n" + log);
            assertEquals(3, committed(kafka.bootstrapServers()), "every scored record's offset is committed");
        }
    }

    static void awaitLine(Process p, Path log, String fragment, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!Files.readString(log).contains(fragment)) {
            if (System.currentTimeMillis() > deadline || !p.isAlive()) {
                throw new AssertionError("no line with '" + fragment + "':\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    /** The first {@code n} score events from the beginning of the topic (waits up to 90 s for them). */
    static List<JsonObject> readScores(String bootstrap, int n) {
        List<JsonObject> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "group.id", "t-" + System.nanoTime(), "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of("memaudit.scores"));
            long deadline = System.currentTimeMillis() + 90_000;
            while (out.size() < n && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> out.add(JsonParser.parseString(r.value()).getAsJsonObject()));
            }
        }
        assertEquals(n, out.size(), "score events: " + out);
        return out;
    }

    private static long committed(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            return admin.listConsumerGroupOffsets("memaudit-audit").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .values().stream().mapToLong(o -> o == null ? 0 : o.offset()).sum();
        }
    }
}
