package io.memaudit.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the audit worker, in one table: name, type and validator, default, one-line doc.
 * {@code deploy/worker.example.properties} is generated from it ({@link ExampleConfig}), and a test
 * fails when the two differ.
 *
 * <p>Besides these keys, any {@code kafka.<client-setting>} passes through verbatim to every Kafka client
 * the worker creates (see {@link WorkerConfig#kafkaClientProperties()}).
 */
public final class ConfigKeys {
    public static final String PREFIX = "memaudit.";
    public static final String KAFKA_PREFIX = "kafka.";

    private static final List<ConfigKey> TABLE = new ArrayList<>();

    public static final ConfigKey KAFKA_BOOTSTRAP_SERVERS = define("memaudit.kafka.bootstrap.servers", ValueType.hostPorts(),
            null, "Kafka brokers to connect to (required).", "localhost:9092");
    public static final ConfigKey KAFKA_CHECK_TIMEOUT_MS = define("memaudit.kafka.check-timeout-ms", ValueType.longAtLeast(100),
            "10000", "At start, how long to wait for the brokers to answer (Admin describeCluster) before stopping with "
                    + "'cannot reach Kafka'; a refused connection or unknown host stops it at once.");

    public static final ConfigKey TOPIC_CHECKPOINTS = define("memaudit.topic.checkpoints", ValueType.topic(),
            "memaudit.checkpoints", "Topic the trainers publish checkpoint events to (key = runId).");
    public static final ConfigKey TOPIC_SCORES = define("memaudit.topic.scores", ValueType.topic(),
            "memaudit.scores", "Topic the worker publishes one score event per checkpoint and feature to.");
    public static final ConfigKey TOPIC_ALERTS = define("memaudit.topic.alerts", ValueType.topic(),
            "memaudit.alerts", "Topic the trend detector publishes alerts to.");
    public static final ConfigKey TOPIC_DLQ = define("memaudit.topic.dlq", ValueType.topic(),
            "memaudit.checkpoints.dlq", "Dead-letter topic: events that could not be scored, with the reason.");
    public static final ConfigKey TOPICS_AUTO_CREATE = define("memaudit.topics.auto-create", ValueType.bool(),
            "true", "Create missing topics at start; when false, a missing topic stops the worker with an error.");
    public static final ConfigKey TOPICS_PARTITIONS = define("memaudit.topics.partitions", ValueType.integer(1, 10_000),
            "3", "Partitions of topics the worker creates.");
    public static final ConfigKey TOPICS_REPLICATION_FACTOR = define("memaudit.topics.replication-factor",
            ValueType.integer(1, Short.MAX_VALUE), "1", "Replication factor of topics the worker creates.");

    public static final ConfigKey GROUP_ID = define("memaudit.group.id", ValueType.text(),
            "memaudit-audit", "Kafka consumer group of the audit workers; workers in one group share the partitions.");
    public static final ConfigKey WORKER_ID = define("memaudit.worker.id", ValueType.optionalText(),
            "", "Name of this worker in score and dead-letter events (empty: <hostname>-<pid>).");
    public static final ConfigKey MAX_IN_FLIGHT = define("memaudit.max-in-flight", ValueType.integer(1, Integer.MAX_VALUE),
            "8", "Pause the consumer when this many records are unfinished; resume when half are done.");

    public static final ConfigKey SCORING_DEVICES = define("memaudit.scoring.devices", ValueType.devices(),
            "auto", "Scoring devices, one scoring thread each: auto (GPU 0 if any, else CPU), cpu, gpu:N.");
    public static final ConfigKey SCORING_CHUNK = define("memaudit.scoring.chunk", ValueType.integer(1, 1_000_000),
            "2000", "Most images per forward pass when scoring (bounds activation memory); a model may run fewer, e.g. the built-in CNN 250 on the CPU.");
    public static final ConfigKey SCORING_PROBES_MAX = define("memaudit.scoring.probes.max",
            ValueType.integer(2, Integer.MAX_VALUE), "20000", "Largest probe count N an event may ask for; larger is rejected.");
    public static final ConfigKey SCORING_CONTROLS_MAX = define("memaudit.scoring.controls.max",
            ValueType.integer(1, 1000), "200", "Largest number of control features K an event may ask for (audit.controls); "
                    + "each control costs N forward passes; larger is rejected.");
    public static final ConfigKey DATA_DIR = define("memaudit.data.dir", ValueType.optionalPath(),
            "", "Data set cache (empty: $MEMAUDIT_DATA_DIR, else $XDG_CACHE_HOME/memaudit/datasets, "
                    + "else ~/.cache/memaudit/datasets).");

    public static final ConfigKey CHECKPOINTS_ALLOWED_ROOTS = define("memaudit.checkpoints.allowed-roots", ValueType.paths(),
            "", "Directories checkpoint URIs must resolve into, after normalising and following symlinks "
                    + "(empty: the working directory).");
    public static final ConfigKey CHECKPOINTS_STAGING_DIR = define("memaudit.checkpoints.staging-dir", ValueType.optionalPath(),
            "", "Private directory each model file is copied into (hashed on that one read) before it is loaded; emptied at "
                    + "start (empty: memaudit-staging-<worker id> in the system temporary directory).");
    public static final ConfigKey CHECKPOINTS_MAX_BYTES = define("memaudit.checkpoints.max-bytes", ValueType.longAtLeast(1),
            "2147483648", "Largest parameter file the worker will read, in bytes.");

    public static final ConfigKey S3_ALLOWED = define("memaudit.s3.allowed", ValueType.s3Locations(),
            "", "Buckets, or bucket/prefix, that s3:// checkpoint URIs may name (empty: no bucket is read).");
    public static final ConfigKey S3_ENDPOINT = define("memaudit.s3.endpoint", ValueType.optionalUrl(),
            "", "S3 endpoint for MinIO, Ceph and other S3-compatible stores (empty: AWS for the region).");
    public static final ConfigKey S3_REGION = define("memaudit.s3.region", ValueType.text(),
            "us-east-1", "S3 region (signing region for an S3-compatible store). Credentials: the AWS SDK's default chain.");
    public static final ConfigKey S3_PATH_STYLE = define("memaudit.s3.path-style", ValueType.bool(),
            "false", "Path-style addressing (endpoint/bucket/key), which MinIO and Ceph usually need.");
    public static final ConfigKey S3_CACHE_MAX_BYTES = define("memaudit.s3.cache-max-bytes", ValueType.longAtLeast(0),
            "0", "Keep downloaded s3 objects on local disk up to this many bytes, least recently used out, emptied at "
                    + "start (0: no cache; a re-delivered checkpoint is downloaded again).");
    public static final ConfigKey S3_TIMEOUT_MS = define("memaudit.s3.timeout-ms", ValueType.longAtLeast(1),
            "30000", "Connect and read timeout of S3 requests, in milliseconds: a store that stalls longer is given up on.");

    public static final ConfigKey HTTP_ALLOWED_HOSTS = define("memaudit.http.allowed-hosts", ValueType.hosts(),
            "", "Hosts (host or host:port) that http(s):// checkpoint URIs may name (empty: no host is contacted).");
    public static final ConfigKey HTTP_TIMEOUT_MS = define("memaudit.http.timeout-ms", ValueType.longAtLeast(1),
            "30000", "Connect and read timeout of http(s) downloads, in milliseconds.");
    public static final ConfigKey HTTP_BEARER_TOKEN = define("memaudit.http.bearer-token", ValueType.optionalText(),
            "", "Bearer token sent with http(s) downloads to the allowed hosts (empty: none).");
    public static final ConfigKey HTTP_ALLOW_PLAIN = define("memaudit.http.allow-plain-http", ValueType.bool(),
            "false", "Also read http:// (unencrypted) checkpoint URIs from the allowed hosts.");

    public static final ConfigKey EVENT_MAX_BYTES = define("memaudit.checkpoints.max-event-bytes", ValueType.integer(1, Integer.MAX_VALUE),
            "1048576", "Largest checkpoint event (record value) the worker parses, in bytes; larger is dead-lettered unparsed.");
    public static final ConfigKey DLQ_MAX_VALUE_BYTES = define("memaudit.dlq.max-value-bytes", ValueType.integer(256, 900_000),
            "65536", "The original record kept in a dead letter is cut to this many bytes (its size and SHA-256 are kept whole).");
    public static final ConfigKey PUBLISH_RETRIES = define("memaudit.publish.retries", ValueType.integer(0, 100),
            "5", "Retries of a failed publish of results or of a dead letter, with doubling back-off, before the last resort.");
    public static final ConfigKey PUBLISH_BACKOFF_MS = define("memaudit.publish.backoff-ms", ValueType.longAtLeast(1),
            "500", "First back-off between publish retries, in milliseconds; doubled after each, at most 30 s.");

    public static final ConfigKey SEQUENTIAL = define("memaudit.audit.sequential", ValueType.bool(),
            "true", "Stop scoring the controls after a block of probes once the evidence can no longer become significant "
                    + "(the feature's scores still cover all N; ranks, exposure and z the probes the controls saw).");
    public static final ConfigKey SEQUENTIAL_BLOCK = define("memaudit.audit.sequential.block", ValueType.integer(2, 1_000_000),
            Integer.toString(io.memaudit.common.score.SequentialStop.DEFAULT.block()),
            "Sequential audits: probes per block, the audit looks after each.");
    public static final ConfigKey SEQUENTIAL_FLIP = define("memaudit.audit.sequential.flip-probability",
            ValueType.decimalIn(0, 1), Double.toString(io.memaudit.common.score.SequentialStop.DEFAULT.flipProbability()),
            "Sequential audits: the largest chance that stopping early changes the "
                    + "checkpoint's evidence from the fixed-N audit's.");

    public static final ConfigKey VERDICT_ALPHA = define("memaudit.verdict.alpha", ValueType.decimalIn(0, 1),
            "0.01", "Verdict: the largest p-value (rank/(K+1)) that counts at a checkpoint; needs K >= 1/alpha - 1 controls.");
    public static final ConfigKey VERDICT_CONFIRMATIONS = define("memaudit.verdict.confirmations", ValueType.integer(1, 100),
            "2", "Verdict: consecutive audited checkpoints of a run with p <= alpha before it is memorised (and the alert fires).");
    // The trend defaults come from the twins (clean runs) of the calibration seeds, docs/REPRODUCTION.md
    // ("The rule chosen on the calibration seeds"): M_KL does not tell canary from clean runs, so these
    // alerts are information, and their thresholds sit where at most 1 in 20 clean runs reaches them.
    public static final ConfigKey TREND_THRESHOLD = define("memaudit.trend.threshold", ValueType.decimal(0),
            String.valueOf(io.memaudit.common.score.AlertDefaults.M_KL_THRESHOLD), "Alert (kind threshold) when a feature's M_KL exceeds this value (95th percentile of clean runs' maximum).");
    public static final ConfigKey TREND_RISING_CHECKPOINTS = define("memaudit.trend.rising-checkpoints",
            ValueType.integer(2, 1000), "3", "Alert (kind rising) when M_KL rose over this many consecutive checkpoints.");
    public static final ConfigKey TREND_RISING_MIN_DELTA = define("memaudit.trend.rising-min-delta", ValueType.decimal(0),
            "0.008", "Noise floor: a rise in M_KL smaller than this does not count as rising (measured on clean runs).");
    public static final ConfigKey TREND_VERDICT_CHANGE = define("memaudit.trend.verdict-change", ValueType.bool(),
            "false", "Alert (kind verdict-change) on every change of a feature's verdict between checkpoints (noisy: "
                    + "kind memorised is the alert that pages).");

    public static final ConfigKey SHUTDOWN_TIMEOUT_MS = define("memaudit.shutdown.timeout-ms", ValueType.longAtLeast(0),
            "30000", "On shutdown, wait this long for in-flight checkpoints to finish and offsets to commit.");
    public static final ConfigKey MANAGEMENT_PORT = define("memaudit.management.port", ValueType.integer(0, 65535),
            "9404", "HTTP port for /metrics, /health and /ready (0: any free port).");
    public static final ConfigKey MANAGEMENT_HOST = define("memaudit.management.host", ValueType.text(),
            "0.0.0.0", "Address the management port binds to: 0.0.0.0 (every interface, as Kubernetes probes and "
                    + "Prometheus need) or e.g. 127.0.0.1 (this host only).");
    public static final ConfigKey MANAGEMENT_TOKEN = define("memaudit.management.token", ValueType.optionalText(),
            "", "Bearer token required for /metrics and /api/* (empty: none); /health and /ready stay open for probes.");
    public static final ConfigKey LOG_FORMAT = define("memaudit.log.format", ValueType.logFormat(),
            "text", "Log lines on stderr: text, or json (one object per line; runId, step and feature of the checkpoint "
                    + "being handled in its mdc).");
    public static final ConfigKey METRICS_RUN_GRACE_MS = define("memaudit.metrics.run-grace-ms", ValueType.longAtLeast(1000),
            "3600000", "A run with no checkpoint for this long is finished: its metric series and /api history are removed.");

    /** Every key, in the order of the table. */
    public static final List<ConfigKey> ALL = Collections.unmodifiableList(TABLE);

    private ConfigKeys() { }

    private static ConfigKey define(String name, ValueType type, String defaultValue, String doc) {
        return define(name, type, defaultValue, doc, null);
    }

    private static ConfigKey define(String name, ValueType type, String defaultValue, String doc, String example) {
        ConfigKey key = new ConfigKey(name, type, defaultValue, doc, example);
        TABLE.add(key);
        return key;
    }

    public static Optional<ConfigKey> find(String name) {
        return TABLE.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** The known key whose name is closest to {@code name} (edit distance), for "did you mean". */
    public static ConfigKey closest(String name) {
        ConfigKey best = TABLE.get(0);
        for (ConfigKey key : TABLE) {
            if (distance(name, key.name()) < distance(name, best.name())) {
                best = key;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
