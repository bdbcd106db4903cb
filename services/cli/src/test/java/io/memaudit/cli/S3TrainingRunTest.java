package io.memaudit.cli;

import com.google.gson.JsonObject;
import io.memaudit.common.util.Hashing;
import io.memaudit.common.util.S3rver;
import io.memaudit.kafka.EmbeddedKafka;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training run whose checkpoints go to S3-compatible storage (s3rver) and a worker, in its own JVM,
 * that has no access to the trainer's disk: `train --checkpoint-uri s3://...` uploads each checkpoint and
 * publishes its s3 URI; the worker reads it with credentials from its environment and scores it.
 */
@Tag("broker")
@Tag("ops")
class S3TrainingRunTest {
    @TempDir
    Path tmp;

    @Test
    void aRunUploadedToS3IsScoredByAWorkerThatOnlySeesTheBucket() throws Exception {
        Path data = tmp.resolve("data");
        FakeMnist.install(data, 300, 200);
        Path run = tmp.resolve("trainer-disk/run");
        try (S3rver s3 = S3rver.start(Files.createDirectories(tmp.resolve("s3")), "ckpts");
             EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults())) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Dai.djl.offline=true", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "worker",
                    "--set", "memaudit.kafka.bootstrap.servers=" + kafka.bootstrapServers(),
                    "--set", "memaudit.checkpoints.allowed-roots=" + tmp.resolve("worker-disk"), // not the trainer's
                    "--set", "memaudit.s3.allowed=ckpts/runs/",
                    "--set", "memaudit.s3.endpoint=" + s3.endpoint,
                    "--set", "memaudit.s3.path-style=true",
                    "--set", "memaudit.data.dir=" + data,
                    "--set", "memaudit.management.port=0",
                    "--set", "memaudit.scoring.devices=cpu").redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("worker.log").toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("AWS_ACCESS_KEY_ID", S3rver.KEY);
            pb.environment().put("AWS_SECRET_ACCESS_KEY", S3rver.KEY);
            Files.createDirectories(tmp.resolve("worker-disk"));
            Process worker = pb.start();
            try {
                WorkerCommandTest.awaitLine(worker, tmp.resolve("worker.log"), "running", Duration.ofSeconds(90));
                System.setProperty("aws.accessKeyId", S3rver.KEY);
                System.setProperty("aws.secretAccessKey", S3rver.KEY);
                CommandLineTest.Outcome train = CommandLineTest.memaudit("train", "--dataset", "mnist", "--epochs", "2",
                        "--batch-size", "64", "--out", run.toString(), "--data-dir", data.toString(), "--device", "cpu",
                        "--run-id", "s3-run", "--kafka", kafka.bootstrapServers(), "--audit-probes", "mnist-gray-28",
                        "--audit-n", "50", "--checkpoint-uri", "s3://ckpts/runs", "--s3-endpoint", s3.endpoint.toString(),
                        "--s3-path-style");
                assertEquals(0, train.code(), train.err());
                List<JsonObject> scores = WorkerCommandTest.readScores(kafka.bootstrapServers(), 2);
                assertEquals(List.of(1L, 2L), scores.stream().map(s -> s.get("epoch").getAsLong()).toList(), scores.toString());
                for (JsonObject s : scores) {
                    Path params = run.resolve(String.format("ckpt-%04d", s.get("epoch").getAsInt())).resolve("model.params");
                    assertEquals(Hashing.sha256(params), s.get("modelSha256").getAsString(),
                            "the worker scored the bytes the trainer uploaded");
                }
                String log = Files.readString(tmp.resolve("worker.log"));
                assertTrue(!log.contains("dead-letter"), log);
            } finally {
                System.clearProperty("aws.accessKeyId");
                System.clearProperty("aws.secretAccessKey");
                worker.destroy();
                worker.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }
}
