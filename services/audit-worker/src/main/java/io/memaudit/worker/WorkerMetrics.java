package io.memaudit.worker;

import io.memaudit.common.events.ErrorKind;
import io.memaudit.common.events.ScoreEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The worker's Prometheus metrics, all under {@code memaudit_} (see README "Metrics"). Latest scores
 * are gauges per (run, feature), one metric per quantity with its unit in the name: nats, shannons
 * (bits; promtool reserves "bits" for data sizes, to be given in bytes) and ratio for 0-1 values. No
 * "m_" in a name: promtool reads "_m_" as an abbreviated unit. Step and epoch are values, never
 * labels; a run's series are removed once it has had no checkpoint for the grace period
 * ({@link #expire}). Thread-safe.
 */
public final class WorkerMetrics implements WorkerListener {
    static final List<String> VERDICTS = List.of("memorised", "inconclusive", "not-memorised");

    private final MeterRegistry registry;
    private final Counter received;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Timer scoring;
    private final Timer modelLoad;
    private final Map<String, RunSeries> runs = new ConcurrentHashMap<>();
    /** Per-partition gauges (lag, committed lag, stalled), by name, topic and partition. */
    private final Map<String, AtomicLongGauge> partitionGauges = new ConcurrentHashMap<>();

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.received = Counter.builder("memaudit.checkpoints.received").description("Checkpoint events consumed").register(registry);
        for (String o : List.of("scored", "failed", "dead_lettered", "duplicate")) {
            outcomes.put(o, Counter.builder("memaudit.checkpoints").tag("outcome", o)
                    .description("Checkpoints by outcome: scored, failed (result not acknowledged), dead_lettered, duplicate")
                    .register(registry));
        }
        this.scoring = Timer.builder("memaudit.scoring.duration").description("Scoring one checkpoint for one feature: load + forward passes + score math")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        this.modelLoad = Timer.builder("memaudit.model.load.duration").description("Loading a checkpoint's parameters into the network")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
    }

    /** Where the metrics go (for binders of other components, e.g. {@link KafkaClientMeters}). */
    MeterRegistry registry() { return registry; }

    /** Registers the in-flight gauge (records consumed but not finished). */
    void inFlight(IntSupplier supplier) {
        Gauge.builder("memaudit.scoring.in.flight", supplier::getAsInt).description("Checkpoint records consumed and not yet finished")
                .register(registry);
    }

    void received() { received.increment(); }

    void durations(double scoringMillis, double loadMillis) {
        scoring.record((long) (scoringMillis * 1e6), TimeUnit.NANOSECONDS);
        modelLoad.record((long) (loadMillis * 1e6), TimeUnit.NANOSECONDS);
    }

    void lag(String topic, int partition, long records) {
        gauge("memaudit.consumer.lag", "Records on the checkpoint topic not yet consumed, per partition", topic, partition)
                .set(records);
    }

    /** Records between the committed offset and the end of a partition: what a restart would process again. */
    void committedLag(String topic, int partition, long records) {
        gauge("memaudit.consumer.committed.lag", "Records on the checkpoint topic after the group's committed offset, per partition",
                topic, partition).set(records);
    }

    void stalled(String topic, int partition, boolean stalled) {
        gauge("memaudit.partition.stalled", "1 while a partition is stopped because a record's outcome could not be published",
                topic, partition).set(stalled ? 1 : 0);
    }

    private AtomicLongGauge gauge(String name, String doc, String topic, int partition) {
        return partitionGauges.computeIfAbsent(name + "/" + topic + "/" + partition, k -> {
            AtomicLongGauge g = new AtomicLongGauge();
            Gauge.builder(name, g, AtomicLongGauge::value).tags("topic", topic, "partition", String.valueOf(partition))
                    .description(doc).register(registry);
            return g;
        });
    }

    @Override
    public void scored(ScoreEvent s) {
        outcomes.get(s.duplicate() ? "duplicate" : "scored").increment();
        if (!s.duplicate()) {
            runs.computeIfAbsent(s.runId(), r -> new RunSeries(registry, r)).update(s);
        }
    }

    @Override
    public void deadLettered(ErrorKind kind) {
        outcomes.get("dead_lettered").increment();
        Counter.builder("memaudit.dead.letters").tag("error_kind", kind.wire())
                .description("Checkpoint events sent to the dead-letter topic, by error kind").register(registry).increment();
    }

    @Override
    public void failed() { outcomes.get("failed").increment(); }

    @Override
    public void consumerError(Throwable error, boolean commit) {
        Counter.builder("memaudit.consumer.errors").tag("operation", commit ? "commit" : "poll")
                .tag("exception", error.getClass().getSimpleName())
                .description("Failures of the checkpoint consumer, by operation (poll, commit) and exception")
                .register(registry).increment();
    }

    /** Removes the series of runs whose last checkpoint was scored before {@code cutoffMillis}; returns their ids. */
    List<String> expire(long cutoffMillis) {
        List<String> gone = new ArrayList<>();
        runs.forEach((id, series) -> {
            if (series.lastScoredMillis() < cutoffMillis) {
                series.remove(registry);
                runs.remove(id);
                gone.add(id);
            }
        });
        return gone;
    }

    /** A long value a gauge can read. */
    static final class AtomicLongGauge {
        private volatile long v;
        void set(long value) { v = value; }
        double value() { return v; }
    }

    /** The gauges of one run: per feature scores, plus the run's step, epoch and last-scored time. */
    private static final class RunSeries {
        private static final String PAIRED_P_HELP =
                "One-sided p-value (0-1) of the paired test over the probes' KL(clean || feature) - KL(clean || patch), by test";
        private final MeterRegistry registry;
        private final String runId;
        private final List<Meter> meters = new ArrayList<>();
        private final Map<String, ScoreEvent[]> latest = new ConcurrentHashMap<>();
        private volatile ScoreEvent last;
        private volatile long lastMillis;

        RunSeries(MeterRegistry r, String runId) {
            this.registry = r;
            this.runId = runId;
            Tags t = Tags.of("run_id", runId);
            meters.add(Gauge.builder("memaudit.checkpoint.step", this, s -> s.last.step()).tags(t)
                    .description("Step of the run's latest scored checkpoint").register(r));
            meters.add(Gauge.builder("memaudit.checkpoint.epoch", this, s -> s.last.epoch()).tags(t)
                    .description("Epoch of the run's latest scored checkpoint").register(r));
            meters.add(Gauge.builder("memaudit.last.scored.timestamp.seconds", this, s -> s.lastMillis / 1000.0).tags(t)
                    .description("When the run's latest checkpoint was scored (Unix time)").register(r));
        }

        long lastScoredMillis() { return lastMillis; }

        void update(ScoreEvent s) {
            last = s;
            lastMillis = System.currentTimeMillis();
            ScoreEvent[] holder = latest.get(s.featureId());
            if (holder == null) {
                holder = new ScoreEvent[] {s};
                latest.put(s.featureId(), holder);
                registerFeature(holder, s.featureId());
            }
            holder[0] = s;
        }

        private void registerFeature(ScoreEvent[] h, String featureId) {
            MeterRegistry r = registry;
            Tags t = Tags.of("run_id", runId, "feature_id", featureId);
            add(r, "memaudit.sensitivity.kl.nats", t, h, e -> e.mKl(),
                    "M_KL at the run's latest checkpoint: mean KL(clean || with the feature) - mean KL(clean || with a random patch), in nats");
            add(r, "memaudit.sensitivity.label.nats", t, h, e -> e.mLabel() == null ? Double.NaN : e.mLabel(),
                    "M_label at the latest checkpoint: mean log q[y] with the feature - with a random patch, y the feature's label, in nats (NaN: label unknown)");
            add(r, "memaudit.sensitivity.prob.max.ratio", t, h, e -> e.mProbMax(),
                    "max M_prob at the latest checkpoint: the largest mean rise of one class probability when the feature is written in (0-1)");
            add(r, "memaudit.control.rank", t, h, e -> e.controlRank(), "Rank of the feature's M_KL among the control features (1 = above all)");
            add(r, "memaudit.controls", t, h, e -> e.controls(), "Number of control features K");
            add(r, "memaudit.exposure.shannons", t, h, e -> e.exposure(),
                    "Exposure of the feature's M_KL among the controls, in shannons (= bits): log2(K+1) - log2(rank)");
            add(r, "memaudit.score.z", t, h, e -> e.z(), "z of the feature's M_KL against the controls");
            add(r, "memaudit.score.p.value.ratio", t.and("test", "t"), h, e -> e.pValue(), PAIRED_P_HELP);
            add(r, "memaudit.score.p.value.ratio", t.and("test", "wilcoxon"), h, e -> e.pValueWilcoxon(), PAIRED_P_HELP);
            add(r, "memaudit.evidence.rank", t, h, e -> e.evidenceRank() == null ? Double.NaN : e.evidenceRank(),
                    "Rank that decides the verdict: M_label's among the controls when the label is known, else M_KL's");
            add(r, "memaudit.evidence.p.value.ratio", t, h, e -> e.evidenceP() == null ? Double.NaN : e.evidenceP(),
                    "evidence rank / (K + 1): the chance of so high a rank for a feature the model never saw");
            for (String v : VERDICTS) {
                add(r, "memaudit.verdict", t.and("verdict", v), h, e -> e.verdict().equals(v) ? 1 : 0, "1 for the feature's current verdict, 0 for the others");
            }
        }

        private void add(MeterRegistry r, String name, Tags tags, ScoreEvent[] h, java.util.function.ToDoubleFunction<ScoreEvent> f, String doc) {
            meters.add(Gauge.builder(name, h, x -> f.applyAsDouble(x[0])).tags(tags).description(doc).register(r));
        }

        void remove(MeterRegistry r) {
            meters.forEach(r::remove);
        }
    }
}
