package io.memaudit.cli;

import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.model.Variant;
import io.memaudit.kafka.EmbeddedKafka;
import io.memaudit.trainer.KafkaCheckpointPublisher;
import io.memaudit.trainer.TrainConfig;
import io.memaudit.trainer.TrainJob;
import io.memaudit.trainer.TrainResult;
import io.memaudit.worker.AuditWorker;
import io.memaudit.worker.ConfigKeys;
import io.memaudit.worker.StartupException;
import io.memaudit.worker.WorkerConfig;
import io.memaudit.worker.WorkerListener;
import io.memaudit.worker.WorkerRuntime;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "The live audit in one process: a broker, the worker and a training run.",
        description = {"The live audit in one process: starts an embedded Kafka broker and the audit worker, trains an",
                "MNIST MLP with a name planted in one training image, publishes a checkpoint event per epoch and",
                "prints each score as the worker publishes it; then writes scores.csv and scores.png."})
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--uf", paramLabel = "SPEC", defaultValue = "text:JANE DOE", description = "Feature to plant and audit (default: ${DEFAULT-VALUE}).")
    String uf;
    @Option(names = "--canaries", defaultValue = "1", description = "Training images carrying the feature (default: ${DEFAULT-VALUE}).")
    int canaries;
    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--seed", defaultValue = "7", description = "Training seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--n", defaultValue = "2000", description = "Probe images (default: ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--train-limit", defaultValue = "0", description = "Use only N training images; 0 = all (default: ${DEFAULT-VALUE}).")
    int trainLimit;
    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: a new directory under runs/).")
    Path out;
    @Mixin
    DeviceOption device;
    @Option(names = "--management-port", defaultValue = "9404", description = "Worker metrics/health port; 0 = any free port (default: ${DEFAULT-VALUE}).")
    int managementPort;
    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        Path runDir = (out != null ? out : Path.of("runs", "demo-" + System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(runDir);
        Map<Long, Double> valAccuracy = new ConcurrentHashMap<>();
        List<RunScoring.Row> rows = new CopyOnWriteArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults())) {
            System.out.println("memaudit demo: Kafka broker (embedded) at " + kafka.bootstrapServers());
            var registry = WorkerRuntime.newRegistry();
            Vertx vertx = WorkerRuntime.newVertx(registry);
            try {
                AuditWorker worker = startWorker(vertx, registry, kafka, runDir, valAccuracy, rows);
                System.out.println("metrics: http://localhost:" + worker.managementPort() + "/metrics (Prometheus scrape target)");
                // after the worker started (a port clash fails before a first download), before training: the
                // worker reads its probe images (cifar10) when the first checkpoint arrives
                DatasetsCommand.ensure(data.directory(), "mnist");
                DatasetsCommand.ensure(data.directory(), "cifar10");
                TrainResult result = train(kafka, runDir, valAccuracy);
                awaitScores(rows, result.checkpoints().size());
                worker.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                System.out.printf(Locale.ROOT, "test accuracy %.4f (best checkpoint %s)%n", result.testAccuracy(),
                        result.bestCheckpoint().getFileName());
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
        RunScoring.Summary s = RunScoring.writeReports(rows.stream()
                .sorted(java.util.Comparator.comparingLong(r -> r.score().step())).toList(), runDir);
        System.out.println("scores: " + s.csv() + "\nplot:   " + s.png());
        System.out.println("Prometheus: scrape the worker's /metrics (job memaudit-worker); `docker compose up` runs the full stack (see README).");
        return 0;
    }

    private AuditWorker startWorker(Vertx vertx, io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry,
                                    EmbeddedKafka kafka, Path runDir, Map<Long, Double> valAccuracy,
                                    List<RunScoring.Row> rows) throws Exception {
        WorkerConfig cfg = WorkerConfig.of(Map.of(
                "memaudit.kafka.bootstrap.servers", kafka.bootstrapServers(),
                "memaudit.checkpoints.allowed-roots", runDir.toString(),
                "memaudit.scoring.devices", device.spec,
                "memaudit.worker.id", "demo-worker",
                "memaudit.data.dir", data.directory().root().toString(),
                "memaudit.management.port", String.valueOf(managementPort)));
        WorkerListener live = new WorkerListener() {
            @Override
            public void scored(ScoreEvent score) {
                RunScoring.Row row = new RunScoring.Row(score, valAccuracy.get(score.step()));
                rows.add(row);
                // on a terminal, clear the training progress bar's line first; it redraws on its next step
                String clear = System.console() != null ? "\r\033[K" : "";
                System.out.println(clear + (rows.size() == 1 ? ScoreTable.RUN_HEADER + "\n" : "") + ScoreTable.runRow(row));
            }
        };
        try {
            return AuditWorker.start(vertx, cfg, live, registry).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof StartupException s && DEMO_OPTIONS.containsKey(s.key())
                    ? s.as(DEMO_OPTIONS.get(s.key())) : e;
        }
    }

    /** The worker's keys that this command sets from its own options: a start failure names the option. */
    private static final Map<String, String> DEMO_OPTIONS = Map.of(
            ConfigKeys.MANAGEMENT_PORT.name(), "--management-port",
            ConfigKeys.SCORING_DEVICES.name(), "--device");

    private TrainResult train(EmbeddedKafka kafka, Path runDir, Map<Long, Double> valAccuracy) {
        TrainConfig config = new TrainConfig("mnist", "mlp", Variant.PLAIN, uf, canaries, seed, epochs,
                TrainConfig.DEFAULT_BATCH, TrainConfig.DEFAULT_LR, TrainConfig.DEFAULT_PATIENCE, TrainConfig.DEFAULT_L2,
                trainLimit, runDir, "demo-mnist-mlp", device.spec);
        try (KafkaCheckpointPublisher publisher = new KafkaCheckpointPublisher(
                Map.of("bootstrap.servers", kafka.bootstrapServers()), KafkaCheckpointPublisher.DEFAULT_TOPIC,
                List.of(uf), "cifar10-gray-28", n)) {
            return TrainJob.run(config, data.directory(), System.err, (dir, meta) -> {
                if (meta.metrics() != null) {
                    valAccuracy.put(meta.step(), meta.metrics().valAccuracy());
                }
                publisher.onCheckpoint(dir, meta);
            });
        }
    }

    private static void awaitScores(List<RunScoring.Row> rows, int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 600_000;
        while (rows.size() < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        if (rows.size() < expected) {
            throw new IllegalStateException("only " + rows.size() + " of " + expected + " checkpoints were scored within 10 minutes");
        }
    }
}
