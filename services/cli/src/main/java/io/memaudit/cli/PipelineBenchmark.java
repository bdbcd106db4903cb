package io.memaudit.cli;

import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.CheckpointEvents;
import io.memaudit.common.events.ScoreEvent;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.util.Json;
import io.memaudit.kafka.EmbeddedKafka;
import io.memaudit.worker.AuditWorker;
import io.memaudit.worker.WorkerConfig;
import io.memaudit.worker.WorkerListener;
import io.memaudit.worker.WorkerRuntime;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
        header = "End-to-end latency and throughput of the live pipeline.",
        description = {"End-to-end latency from publishing a checkpoint event to receiving its score event, at a sustained",
                "rate below saturation, next to the scoring time alone; throughput at saturation; heap and RSS before",
                "and after a burst. Runs an embedded broker and an in-process worker on a randomly initialised MLP.",
                "With --s3-endpoint the checkpoint is uploaded to that S3-compatible server and every event names it there",
                "(credentials: the AWS SDK's default chain, e.g. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).",
                "With --keep-pace mlp,cnn it then trains those reference models and reports audit time against training time",
                "between checkpoints, as 'bench keep-pace' does."})
final class PipelineBenchmark implements Callable<Integer> {
    @Option(names = "--n", defaultValue = "500", description = "Probe images per audit (default: ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--events", defaultValue = "100", description = "Events in the sustained phase (default: ${DEFAULT-VALUE}).")
    int events;
    @Option(names = "--load", defaultValue = "0.5", description = "Sustained rate as a fraction of the measured saturation throughput (default: ${DEFAULT-VALUE}).")
    double load;
    @Option(names = "--saturation-events", defaultValue = "100", description = "Events published at once to measure throughput (default: ${DEFAULT-VALUE}).")
    int saturationEvents;
    @Option(names = "--burst", defaultValue = "1000", description = "Burst size for the memory check (default: ${DEFAULT-VALUE}).")
    int burst;
    @Mixin
    DeviceOption device;
    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "Serve the checkpoint from this S3-compatible server "
            + "(path-style), e.g. s3rver from deploy/install-tools.sh.")
    java.net.URI s3Endpoint;
    @Option(names = "--s3-bucket", defaultValue = "memaudit-bench", description = "Bucket for --s3-endpoint; must exist (default: ${DEFAULT-VALUE}).")
    String s3Bucket;
    @Option(names = "--s3-cache-bytes", defaultValue = "0", description = "The worker's memaudit.s3.cache-max-bytes (default: ${DEFAULT-VALUE}: no cache).")
    long s3CacheBytes;
    @Option(names = "--json", description = "Print the results as one JSON object (setup, scoringAloneMs, saturation, "
            + "sustained, p99ToScoringAlone, burst, memory) instead of the table.")
    boolean json;
    @Option(names = "--plot", paramLabel = "FILE", description = "Also draw the process's RSS against the checkpoints scored, "
            + "over the whole run, as a PNG.")
    Path plot;
    @Option(names = "--keep-pace", split = ",", paramLabel = "MODEL", description = "After the pipeline, also train these "
            + "reference models (mlp, cnn) and report each audit's time as a fraction of the training time between "
            + "checkpoints, at the worker's defaults: the measurement of 'bench keep-pace' (JSON: keepPace).")
    List<String> keepPace = List.of();
    @Option(names = "--keep-pace-epochs", defaultValue = "3", description = "Epochs (checkpoints) per model for --keep-pace "
            + "(default: ${DEFAULT-VALUE}).")
    int keepPaceEpochs;
    @Mixin
    DataOptions data;

    private final Map<Long, Long> received = new ConcurrentHashMap<>();
    private final Map<Long, Long> sent = new ConcurrentHashMap<>();
    private long nextStep = 1;

    @Override
    public Integer call() throws Exception {
        keepPace.forEach(m -> KeepPaceBenchmark.datasetFor(m, "--keep-pace")); // before minutes of pipeline
        DatasetsCommand.ensure(data.directory(), "cifar10");
        Path root = Files.createTempDirectory("memaudit-pipeline-bench");
        Path ckpt = root.resolve("ckpt-0001");
        CheckpointMetadata meta = io.memaudit.cli.bench.BenchCheckpoints.write(io.memaudit.common.model.Architecture.MLP, ckpt);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withPartitions(1))) {
            var registry = WorkerRuntime.newRegistry();
            Vertx vertx = WorkerRuntime.newVertx(registry);
            Map<String, String> settings = new java.util.HashMap<>(Map.of("memaudit.kafka.bootstrap.servers", kafka.bootstrapServers(),
                    "memaudit.checkpoints.allowed-roots", root.toString(), "memaudit.scoring.devices", device.spec,
                    "memaudit.management.port", "0", "memaudit.topics.partitions", "1", "memaudit.worker.id", "bench",
                    "memaudit.data.dir", data.directory().root().toString(), "memaudit.max-in-flight", "16"));
            if (s3Endpoint != null) {
                settings.putAll(Map.of("memaudit.s3.allowed", s3Bucket + "/bench/", "memaudit.s3.endpoint", s3Endpoint.toString(),
                        "memaudit.s3.path-style", "true", "memaudit.s3.cache-max-bytes", Long.toString(s3CacheBytes)));
            }
            WorkerConfig cfg = WorkerConfig.of(settings);
            AuditWorker worker = AuditWorker.start(vertx, cfg, WorkerListener.NONE, registry).toCompletionStage()
                    .toCompletableFuture().get(120, TimeUnit.SECONDS);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    kafka.bootstrapServers(), "acks", "all", "linger.ms", "0"), new StringSerializer(), new StringSerializer());
                 ScoreReader reader = new ScoreReader(kafka.bootstrapServers(), received)) {
                CheckpointEvent template = CheckpointEvents.fromCheckpoint(ckpt, meta, List.of("glyph:A"), "cifar10-gray-28", n);
                if (s3Endpoint != null) {
                    template = servedFromS3(template, ckpt);
                }
                PipelineResult result;
                try (RssSampler rss = new RssSampler(received::size)) {
                    result = PipelineResult.of(setup(), new PipelineResult.Plan(saturationEvents, events, load, burst),
                            measure(producer, template, ckpt, meta), rss.trace());
                }
                if (plot != null) {
                    result.rssPlot().writePng(plot, 900, 500);
                    System.err.println("RSS plot: " + plot);
                }
                if (!json) {
                    result.table().forEach(System.out::println);
                }
                // after the pipeline's own phases, so that training does not share the cores with them
                Map<String, Object> pace = keepPace.isEmpty() ? null
                        : KeepPaceBenchmark.atDefaults(keepPace, keepPaceEpochs, device, data, json).measureAll();
                if (json) {
                    System.out.println(pace == null ? result.json() : withKeepPace(result, pace));
                }
            } finally {
                worker.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    /** The pipeline's JSON object with the keep-pace measurement added under "keepPace". */
    private static String withKeepPace(PipelineResult result, Map<String, Object> pace) {
        com.google.gson.JsonObject o = Json.GSON.toJsonTree(result).getAsJsonObject();
        o.add("keepPace", Json.GSON.toJsonTree(pace));
        return Json.GSON.toJson(o);
    }

    /** Uploads the checkpoint to the S3 server and points the event at it. */
    private CheckpointEvent servedFromS3(CheckpointEvent e, Path ckpt) {
        java.net.URI uri = java.net.URI.create("s3://" + s3Bucket + "/bench/" + ckpt.getFileName() + "/");
        try (var s3 = S3CheckpointUploader.client(s3Endpoint, "us-east-1", true)) {
            s3.putObject(r -> r.bucket(s3Bucket).key("bench/" + ckpt.getFileName() + "/" + io.memaudit.common.model.CheckpointStore.PARAMS_FILE),
                    ckpt.resolve(io.memaudit.common.model.CheckpointStore.PARAMS_FILE));
        }
        CheckpointEvent.ModelRef m = e.model();
        return new CheckpointEvent(e.schemaVersion(), e.runId(), e.step(), e.epoch(), e.createdAt(),
                new CheckpointEvent.ModelRef(uri.toString(), m.format(), m.architecture(), m.inputShape(), m.layout(), m.output(),
                        m.classes(), m.normalisation(), m.sha256()), e.audit(), e.trainingMetrics());
    }

    private PipelineResult.Setup setup() {
        return s3Endpoint == null
                ? new PipelineResult.Setup(n, io.memaudit.common.feature.ControlFeatures.K, "mlp", device.spec, "file", null, null)
                : new PipelineResult.Setup(n, io.memaudit.common.feature.ControlFeatures.K, "mlp", device.spec, "s3",
                        s3Endpoint.toString(), s3CacheBytes);
    }

    private PipelineResult.Measured measure(KafkaProducer<String, String> producer, CheckpointEvent template, Path ckpt,
                            CheckpointMetadata meta) throws Exception {
        System.err.println("warming up ...");
        publishAndWait(producer, template, 10, 0);
        double scoringMs = scoringAlone(ckpt, meta);
        System.err.printf(Locale.ROOT, "saturation: %d events at once ...%n", saturationEvents);
        long t0 = System.nanoTime();
        publishAndWait(producer, template, saturationEvents, 0);
        double throughput = saturationEvents / ((System.nanoTime() - t0) / 1e9);
        double rate = throughput * load;
        System.err.printf(Locale.ROOT, "sustained: %d events at %.1f/s ...%n", events, rate);
        long first = nextStep;
        publishAndWait(producer, template, events, (long) (1e9 / rate));
        double[] lat = new double[events];
        for (int i = 0; i < events; i++) {
            lat[i] = (received.get(first + i) - sent.get(first + i)) / 1e6;
        }
        long[] before = memory();
        long firstOfBurst = nextStep;
        System.err.printf(Locale.ROOT, "burst: %d events ...%n", burst);
        long b0 = System.nanoTime();
        publishAndWait(producer, template, burst, 0);
        double burstSeconds = (System.nanoTime() - b0) / 1e9;
        return new PipelineResult.Measured(scoringMs, throughput, rate, lat, before, memory(), burstSeconds,
                (int) (firstOfBurst - 1));
    }

    /** Median time of the worker's own computation for one audit, with its default settings, outside the pipeline. */
    private double scoringAlone(Path ckpt, CheckpointMetadata meta) {
        try (var scorer = new io.memaudit.common.scoring.CheckpointScorer(device.parse(),
                data.probes())) {
            var req = new io.memaudit.common.scoring.AuditRequest("glyph:A", "cifar10-gray-28", n, 1,
                    io.memaudit.common.feature.RandomPatches.DEFAULT_SEED, null, null);
            double[] t = new double[20];
            for (int i = -3; i < t.length; i++) {
                // as the worker scores it by default: sequentially (memaudit.audit.sequential)
                double ms = scorer.score(ckpt, meta, req, io.memaudit.common.score.SequentialStop.DEFAULT).totalMillis();
                if (i >= 0) {
                    t[i] = ms;
                }
            }
            return ScoreBenchmark.median(t);
        }
    }

    private void publishAndWait(KafkaProducer<String, String> producer, CheckpointEvent template, int count,
                                long intervalNanos) throws Exception {
        long start = System.nanoTime();
        long last = 0;
        for (int i = 0; i < count; i++) {
            long due = start + i * intervalNanos;
            while (System.nanoTime() < due) {
                Thread.sleep(0, 200_000);
            }
            last = nextStep++;
            CheckpointEvent e = new CheckpointEvent(template.schemaVersion(), "bench", last, 1, template.createdAt(),
                    template.model(), template.audit(), null);
            sent.put(last, System.nanoTime());
            producer.send(new ProducerRecord<>("memaudit.checkpoints", "bench", Json.COMPACT.toJson(e)));
        }
        producer.flush();
        long deadline = System.currentTimeMillis() + 1_800_000;
        while (!received.containsKey(last)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("step " + last + " was not scored within 30 minutes");
            }
            Thread.sleep(1);
        }
    }

    /** {heap used after GC, RSS} in bytes. */
    private static long[] memory() throws Exception {
        System.gc();
        Thread.sleep(200);
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        return new long[] {heap, RssSampler.rssBytes()};
    }

    /** Records when each step's score event arrives on the scores topic. */
    private static final class ScoreReader implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;

        ScoreReader(String bootstrap, Map<Long, Long> received) {
            KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "group.id", "bench-reader",
                    "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer());
            c.subscribe(List.of("memaudit.scores"));
            thread = new Thread(() -> {
                try (c) {
                    while (running) {
                        c.poll(Duration.ofMillis(5)).forEach(r -> received.putIfAbsent(
                                Json.COMPACT.fromJson(r.value(), ScoreEvent.class).step(), System.nanoTime()));
                    }
                }
            }, "bench-score-reader");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }
    }
}
