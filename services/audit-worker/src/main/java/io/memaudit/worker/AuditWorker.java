package io.memaudit.worker;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.memaudit.common.data.DataDirectory;
import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.scoring.CheckpointScorer;
import io.memaudit.common.scoring.DataSetProbes;
import io.memaudit.common.scoring.ProbeProvider;
import io.memaudit.common.util.Devices;
import io.memaudit.worker.source.CheckpointSources;
import io.memaudit.worker.source.FileSource;
import io.memaudit.worker.source.HttpSource;
import io.memaudit.worker.source.ObjectCache;
import io.memaudit.worker.source.S3Source;
import io.memaudit.worker.source.Staging;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The audit worker: checks topics, reads the scores already published, deploys one scoring verticle
 * per device and then the checkpoint consumer. {@link #stop()} undeploys in the reverse order, so the
 * consumer finishes its in-flight checkpoints and commits before the scorers go away.
 */
public final class AuditWorker {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWorker.class);

    private final Vertx vertx;
    private final WorkerConfig config;
    private final ScoreLedger ledger = new ScoreLedger();
    private final List<String> deployments = new ArrayList<>();
    /** Set by {@link #stop} once the consumer has closed; see {@link ScoringVerticle}. */
    private final java.util.concurrent.atomic.AtomicBoolean scoringCancelled = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile String consumerDeployment;
    private final PrometheusMeterRegistry registry;
    private final WorkerMetrics metrics;
    private final StalledPartitions stalls;
    private final RunHistory history = new RunHistory();
    private TopicFollower reader;
    private TopicFollower deadLetterReader;
    private final DeadLetterLedger deadLetters = new DeadLetterLedger();
    private ScorePublisher publisher;
    private KafkaClientMetrics publisherMeters;
    private KafkaHealth health;
    private ManagementServer management;
    private volatile boolean engineLoaded;
    private long timer = -1;

    private AuditWorker(Vertx vertx, WorkerConfig config, PrometheusMeterRegistry registry) {
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
        this.metrics = new WorkerMetrics(registry);
        this.stalls = new StalledPartitions(metrics);
    }

    /** Starts a worker; probe images come from the data sets in the configured data directory. */
    public static Future<AuditWorker> start(Vertx vertx, WorkerConfig config, WorkerListener listener,
                                            PrometheusMeterRegistry registry) {
        DataDirectory dataDir = DataDirectory.resolve(config.dataDir().orElse(null));
        return start(vertx, config, listener, new DataSetProbes(dataDir, name -> { }), registry);
    }

    /**
     * @param registry where metrics go (use {@link WorkerRuntime#newRegistry()} and the same registry for
     *                 {@link WorkerRuntime#newVertx} to get JVM and Vert.x metrics too)
     */
    public static Future<AuditWorker> start(Vertx vertx, WorkerConfig config, WorkerListener listener, ProbeProvider probes,
                                            PrometheusMeterRegistry registry) {
        AuditWorker w = new AuditWorker(vertx, config, registry);
        return w.deploy(listener, probes).map(x -> w);
    }

    private Future<Void> deploy(WorkerListener userListener, ProbeProvider probes) {
        LOG.info("audit worker {} starting:\n{}", config.workerId(), config.describe());
        // a typo'd variable or an unknown client setting sets nothing: said once, before anything can fail
        config.warnings().forEach(w -> LOG.warn("configuration: {}", w));
        WorkerListener listener = WorkerListener.all(metrics, historyListener(), userListener);
        LocalCodec.register(vertx, CheckpointEvent.class);
        LocalCodec.register(vertx, ScoringReply.class);
        // the management port first: a port that is taken fails the start at once, before the engine loads
        return deployManagement().compose(x -> vertx.executeBlocking(() -> {
            BrokerCheck.Cluster cluster = BrokerCheck.require(config.kafkaClientProperties(), config.kafkaCheckTimeout(),
                    config.named(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
            LOG.info("Kafka at {} answered in {} ms: cluster {}, {} broker(s)", config.bootstrapServers(), cluster.millis(),
                    cluster.id(), cluster.brokers());
            health = new KafkaHealth(config.kafkaClientProperties(), config.workerId());
            List<String> created = TopicAdmin.ensure(config);
            if (!created.isEmpty()) {
                LOG.info("created topics {}", created);
            }
            health.check();
            reader = TopicFollower.scores(config.kafkaClientProperties(), config.topicScores(), ledger, config.workerId());
            deadLetterReader = TopicFollower.deadLetters(config.kafkaClientProperties(), config.topicDlq(), deadLetters,
                    config.workerId());
            int letters = deadLetterReader.start().get();
            LOG.info("{} dead letter(s) already on {}", letters, config.topicDlq());
            int known = reader.start().get();
            LOG.info("{} score(s) already on {}", known, config.topicScores());
            return null;
        })).compose(x -> deployScorers(probes)).compose(devices -> {
            publisher = new ScorePublisher(vertx, config.kafkaClientProperties(), config.topicScores(),
                    config.topicAlerts(), config.topicDlq(), config.workerId(), config.dlqMaxValueBytes());
            publisherMeters = KafkaClientMeters.bind(registry, publisher.client());
            TrendDetector trend = new TrendDetector(config.trendThreshold(), config.trendRisingCheckpoints(),
                    config.trendRisingMinDelta(), config.trendVerdictChange());
            EventValidator validator = new EventValidator();
            return vertx.deployVerticle(new CheckpointConsumerVerticle(config, validator, publisher, trend, devices,
                    listener, metrics, stalls, deadLetters, this::expireFinishedRuns));
        }).map(id -> {
            deployments.add(id);
            consumerDeployment = id;
            startHousekeeping();
            LOG.info("audit worker {} consuming {} as group {}; management on :{}", config.workerId(),
                    config.topicCheckpoints(), config.groupId(), management.actualPort());
            return null;
        });
    }

    /**
     * /health, /ready (not ready until Kafka answered and the engine loaded), /metrics and /api. A bind
     * failure names the setting to change: the port when it is taken, else the address.
     */
    private Future<Void> deployManagement() {
        management = new ManagementServer(new ManagementServer.Binding(config.managementHost(), config.managementPort(),
                config.managementToken()), registry, history, () -> health != null && health.reachable(), () -> engineLoaded,
                stalls::all);
        return vertx.deployVerticle(management).<Void>map(id -> {
            deployments.add(id);
            return null;
        }).recover(e -> {
            String where = config.managementHost() + ":" + config.managementPort();
            boolean taken = BrokerCheck.causes(e).contains("already in use"); // NIO's BindException or epoll's bind(..) failed
            ConfigKey key = taken ? ConfigKeys.MANAGEMENT_PORT : ConfigKeys.MANAGEMENT_HOST;
            return Future.failedFuture(new StartupException(key.name(), config.named(key),
                    taken ? String.valueOf(config.managementPort()) : config.managementHost(),
                    taken ? where + " is already in use (another worker or demo?); choose a free port, or 0 for any free one"
                            : "the management server cannot listen on " + where + ": " + e.getMessage(), e));
        });
    }

    private WorkerListener historyListener() {
        return new WorkerListener() {
            @Override
            public void scored(io.memaudit.common.events.ScoreEvent score) {
                if (!score.duplicate()) {
                    history.add(score);
                }
            }
        };
    }

    /** Every 10 s: Kafka reachability for /ready (a blocking check, off the event loop). */
    private void startHousekeeping() {
        timer = vertx.setPeriodic(10_000, id -> vertx.executeBlocking(() -> health.check()));
    }

    /**
     * Removes the series and history of runs without a checkpoint for the grace period. Run by the
     * consumer verticle on its own context — the one that records scores — so a run cannot expire
     * while one of its scores is being recorded (which left orphan gauges).
     */
    private void expireFinishedRuns() {
        long grace = config.runGracePeriod().toMillis();
        List<String> gone = metrics.expire(System.currentTimeMillis() - grace);
        if (!gone.isEmpty()) {
            history.forget(gone);
            LOG.info("runs {} finished (no checkpoint for {} ms): their series were removed", gone, grace);
        }
    }

    /** The management server's port (differs from the configured one when that is 0). */
    public int managementPort() {
        return management.actualPort();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private Future<Integer> deployScorers(ProbeProvider probes) {
        List<Device> devices = config.devices().stream().map(Devices::parse).toList();
        CheckpointSources sources = new CheckpointSources(new Staging(config.stagingDir(), config.checkpointsMaxBytes()))
                .register(new FileSource(config.allowedRoots()))
                .register(new S3Source(config.s3Allowed(), config.s3Settings(),
                        new ObjectCache(config.stagingDir().resolve("s3-cache"), config.s3CacheMaxBytes())))
                .register(new HttpSource("https", config.httpSettings()))
                .register(new HttpSource("http", config.httpSettings()));
        List<Future<String>> all = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            Device device = devices.get(i);
            ScoringVerticle v = new ScoringVerticle(i, () -> new ScoringService(
                    new CheckpointScorer(device, probes, config.verdictRule(), config.scoringChunk(), config.sequentialStop()), sources, ledger,
                    config.workerId(), new ScoringService.Limits(config.probesMax(), config.controlsMax()), metrics), scoringCancelled);
            all.add(vertx.deployVerticle(v, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
            LOG.info("scoring verticle {} on {}", i, Devices.describe(device));
        }
        return Future.all(all).map(cf -> {
            for (int i = 0; i < all.size(); i++) {
                deployments.add(cf.resultAt(i));
            }
            engineLoaded = true;
            Engine engine = Engine.getInstance();
            BuildInfo.load().register(registry, engine.getEngineName(), engine.getVersion());
            return devices.size();
        });
    }

    public Vertx vertx() {
        return vertx;
    }

    public ScoreLedger ledger() {
        return ledger;
    }

    /** Graceful stop: consumer first (drains and commits), then scorers, publisher and the ledger reader. */
    public Future<Void> stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        Future<Void> chain = Future.succeededFuture();
        for (int i = deployments.size() - 1; i >= 0; i--) {
            String id = deployments.get(i);
            chain = chain.compose(x -> vertx.undeploy(id)).andThen(x -> {
                if (id.equals(consumerDeployment)) { // it has drained and closed: the scorers skip what is still queued
                    scoringCancelled.set(true);
                }
            });
        }
        return chain.eventually(() -> {
                    KafkaClientMeters.close(publisherMeters);
                    return publisher == null ? Future.succeededFuture() : publisher.close();
                })
                .eventually(() -> {
                    if (deadLetterReader != null) {
                        deadLetterReader.close();
                    }
                    if (reader != null) {
                        reader.close();
                    }
                    if (health != null) {
                        health.close();
                    }
                    return Future.succeededFuture();
                });
    }
}
