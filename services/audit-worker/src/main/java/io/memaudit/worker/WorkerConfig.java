package io.memaudit.worker;

import io.memaudit.common.score.MemorisationRule;
import io.memaudit.common.score.SequentialStop;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit worker's configuration, typed and validated once (after Strimzi's {@code BridgeConfig}
 * and Kafka's {@code ConfigDef}). Keys, types, defaults and docs are in {@link ConfigKeys}.
 *
 * <p>Precedence, lowest first: defaults, the config file, environment variables, {@link #withOverrides}.
 * Every problem is collected and reported at once in a {@link ConfigException}: an unknown
 * {@code memaudit.*} key (with the closest known key), a bad value (key, value, what is allowed), a
 * missing required key (with the environment variable that sets it). Immutable and thread-safe.
 */
public final class WorkerConfig {
    static final String ENV_SOURCE = "env ";
    private static final String DEFAULT_SOURCE = "default";
    private static final String OVERRIDE_SOURCE = "override";

    /** A raw value and where it came from ("file worker.properties", "env MEMAUDIT_GROUP_ID", ...). */
    record Setting(String value, String source) { }

    private final Map<String, Setting> settings;
    private final Map<ConfigKey, Object> values = new LinkedHashMap<>();
    private final Map<ConfigKey, String> sources = new LinkedHashMap<>();
    private final Map<String, String> clientProperties = new LinkedHashMap<>();
    private final List<String> sourceWarnings;
    private final List<String> warnings;

    private WorkerConfig(Map<String, Setting> settings, List<String> sourceWarnings) {
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.sourceWarnings = List.copyOf(sourceWarnings);
        this.warnings = new ArrayList<>(sourceWarnings);
        List<String> problems = new ArrayList<>();
        checkNames(problems);
        Map<String, Setting> effective = withBootstrapAlias(problems);
        for (ConfigKey key : ConfigKeys.ALL) {
            resolve(key, effective.get(key.name()), problems);
        }
        Map<String, Setting> client = new LinkedHashMap<>(settings);
        client.keySet().removeIf(k -> !k.startsWith(ConfigKeys.KAFKA_PREFIX));
        KafkaClientSettings.sort(client, clientProperties, problems, this.warnings);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        clientProperties.put(KafkaClientSettings.BOOTSTRAP, bootstrapServers());
    }

    /**
     * Reads {@code file} (.properties, .yaml or .yml; {@code null} for none), then applies the
     * environment ({@code System.getenv()} in production).
     */
    public static WorkerConfig load(Path file, Map<String, String> env) {
        return load(file, env, Map.of());
    }

    /**
     * File, then environment, then {@code overrides} (e.g. {@code --set key=value}), validated once all
     * are applied (so a required key may come from any of them).
     */
    public static WorkerConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        if (file != null) {
            String source = "file " + file.getFileName();
            ConfigSources.readFile(file).forEach((k, v) -> settings.put(k, new Setting(v, source)));
        }
        Map<String, String> variables = new LinkedHashMap<>();
        ConfigSources.fromEnvironment(env, variables).forEach((k, v) -> settings.put(k, new Setting(v, ENV_SOURCE + variables.get(k))));
        settings.putAll(asOverrides(overrides));
        return new WorkerConfig(settings, ConfigSources.envTypos(env));
    }

    /** A configuration from these settings and the defaults only (tests, embedded use). */
    public static WorkerConfig of(Map<String, String> settings) {
        return new WorkerConfig(asOverrides(settings), List.of());
    }

    /** A copy with these settings replacing this configuration's; validated like any other source. */
    public WorkerConfig withOverrides(Map<String, String> overrides) {
        Map<String, Setting> merged = new LinkedHashMap<>(settings);
        merged.putAll(asOverrides(overrides));
        return new WorkerConfig(merged, sourceWarnings);
    }

    private static Map<String, Setting> asOverrides(Map<String, String> map) {
        Map<String, Setting> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, new Setting(v, OVERRIDE_SOURCE)));
        return out;
    }

    private void checkNames(List<String> problems) {
        for (Map.Entry<String, Setting> e : settings.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(ConfigKeys.PREFIX) && ConfigKeys.find(name).isEmpty()) {
                problems.add("unknown key " + name + " (" + e.getValue().source() + "); did you mean "
                        + ConfigKeys.closest(name).name() + "?");
            } else if (!name.startsWith(ConfigKeys.PREFIX) && !name.startsWith(ConfigKeys.KAFKA_PREFIX)) {
                problems.add("unknown key " + name + " (" + e.getValue().source() + "): worker settings start with "
                        + ConfigKeys.PREFIX + ", Kafka client settings with " + ConfigKeys.KAFKA_PREFIX);
            }
        }
    }

    /** {@code kafka.bootstrap.servers} may stand in for the required key; both set and different is an error. */
    private Map<String, Setting> withBootstrapAlias(List<String> problems) {
        Map<String, Setting> effective = new LinkedHashMap<>(settings);
        Setting alias = settings.get(ConfigKeys.KAFKA_PREFIX + KafkaClientSettings.BOOTSTRAP);
        Setting main = settings.get(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS.name());
        if (alias != null && (main == null || main.value().isBlank())) {
            effective.put(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS.name(), alias);
        } else if (alias != null && !alias.value().strip().equals(main.value().strip())) {
            problems.add("kafka.bootstrap.servers = '" + alias.value() + "' (" + alias.source() + ") differs from "
                    + ConfigKeys.KAFKA_BOOTSTRAP_SERVERS.name() + " = '" + main.value() + "' (" + main.source()
                    + "); set only " + ConfigKeys.KAFKA_BOOTSTRAP_SERVERS.name());
        }
        return effective;
    }

    private void resolve(ConfigKey key, Setting setting, List<String> problems) {
        Setting s = setting != null ? setting : new Setting(key.defaultValue(), DEFAULT_SOURCE);
        if (key.required() && (s.value() == null || s.value().isBlank())) {
            problems.add(key.name() + " is required: set it in the config file or with the environment variable "
                    + key.envVar() + " (" + key.allowed() + ", e.g. " + key.example() + ")");
            return;
        }
        try {
            values.put(key, key.type().parse(s.value()));
            sources.put(key, s.source());
        } catch (IllegalArgumentException e) {
            String detail = e instanceof NumberFormatException || e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
            problems.add(key.name() + " = '" + s.value() + "': expected " + key.allowed() + detail
                    + (DEFAULT_SOURCE.equals(s.source()) ? "" : " [" + s.source() + "]"));
        }
    }

    /** The parsed value of a key: String, Integer, Long, Double, Boolean, List or Path, per its type. */
    public Object get(ConfigKey key) {
        return values.get(key);
    }

    private <T> T typed(ConfigKey key, Class<T> type) {
        return type.cast(values.get(key));
    }

    public String bootstrapServers() { return typed(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, String.class); }

    /** How long the start waits for the brokers to answer. */
    public Duration kafkaCheckTimeout() { return Duration.ofMillis(typed(ConfigKeys.KAFKA_CHECK_TIMEOUT_MS, Long.class)); }

    /** The key and where its value came from, for messages: "memaudit.management.port [file worker.properties]". */
    public String named(ConfigKey key) {
        String source = sources.get(key);
        return key.name() + (source == null || DEFAULT_SOURCE.equals(source) ? "" : " [" + source + "]");
    }

    /**
     * Properties for every Kafka client (consumer, producer, admin): {@code bootstrap.servers} and the
     * {@code kafka.*} pass-through settings with the prefix removed. Unmodifiable.
     */
    public Map<String, String> kafkaClientProperties() { return Collections.unmodifiableMap(clientProperties); }

    public String topicCheckpoints() { return typed(ConfigKeys.TOPIC_CHECKPOINTS, String.class); }

    public String topicScores() { return typed(ConfigKeys.TOPIC_SCORES, String.class); }

    public String topicAlerts() { return typed(ConfigKeys.TOPIC_ALERTS, String.class); }

    public String topicDlq() { return typed(ConfigKeys.TOPIC_DLQ, String.class); }

    public boolean topicsAutoCreate() { return typed(ConfigKeys.TOPICS_AUTO_CREATE, Boolean.class); }

    public int topicsPartitions() { return typed(ConfigKeys.TOPICS_PARTITIONS, Integer.class); }

    public short topicsReplicationFactor() { return typed(ConfigKeys.TOPICS_REPLICATION_FACTOR, Integer.class).shortValue(); }

    public String groupId() { return typed(ConfigKeys.GROUP_ID, String.class); }

    /** The configured id, else {@code <hostname>-<pid>}. */
    public String workerId() {
        String id = typed(ConfigKeys.WORKER_ID, String.class);
        return id.isEmpty() ? DefaultWorkerId.VALUE : id;
    }

    /** Pause the consumer at this many unfinished records. */
    public int maxInFlight() { return typed(ConfigKeys.MAX_IN_FLIGHT, Integer.class); }

    /** Resume a paused consumer when unfinished records drop to this many (half of {@link #maxInFlight()}). */
    public int resumeInFlight() { return maxInFlight() / 2; }

    /** Device specs: ["auto"], or a list of "cpu" and "gpu:N". */
    @SuppressWarnings("unchecked")
    public List<String> devices() { return (List<String>) values.get(ConfigKeys.SCORING_DEVICES); }

    public int scoringChunk() { return typed(ConfigKeys.SCORING_CHUNK, Integer.class); }

    public int probesMax() { return typed(ConfigKeys.SCORING_PROBES_MAX, Integer.class); }

    public int controlsMax() { return typed(ConfigKeys.SCORING_CONTROLS_MAX, Integer.class); }

    /** The data set cache, when set; else the default location applies. */
    public Optional<Path> dataDir() {
        Object v = values.get(ConfigKeys.DATA_DIR);
        return v instanceof Path p ? Optional.of(p) : Optional.empty();
    }

    /** Absolute, normalised directories (symlinks not yet resolved); the working directory when unset. */
    @SuppressWarnings("unchecked")
    public List<Path> allowedRoots() {
        List<Path> roots = (List<Path>) values.get(ConfigKeys.CHECKPOINTS_ALLOWED_ROOTS);
        return roots.isEmpty() ? List.of(Path.of("").toAbsolutePath().normalize()) : roots;
    }

    /** Where model files are staged: the configured directory, or one per worker id in the temporary directory. */
    public Path stagingDir() {
        Object v = values.get(ConfigKeys.CHECKPOINTS_STAGING_DIR);
        return v instanceof Path p ? p : Path.of(System.getProperty("java.io.tmpdir"), "memaudit-staging-"
                + workerId().replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    @SuppressWarnings("unchecked")
    public List<io.memaudit.worker.source.S3Location> s3Allowed() {
        return (List<io.memaudit.worker.source.S3Location>) typed(ConfigKeys.S3_ALLOWED, List.class);
    }

    @SuppressWarnings("unchecked")
    public io.memaudit.worker.source.HttpSource.Settings httpSettings() {
        return new io.memaudit.worker.source.HttpSource.Settings((List<String>) typed(ConfigKeys.HTTP_ALLOWED_HOSTS, List.class),
                Duration.ofMillis(typed(ConfigKeys.HTTP_TIMEOUT_MS, Long.class)), typed(ConfigKeys.HTTP_BEARER_TOKEN, String.class),
                typed(ConfigKeys.HTTP_ALLOW_PLAIN, Boolean.class));
    }

    public long s3CacheMaxBytes() { return typed(ConfigKeys.S3_CACHE_MAX_BYTES, Long.class); }

    public io.memaudit.worker.source.S3Source.Settings s3Settings() {
        Object endpoint = typed(ConfigKeys.S3_ENDPOINT, Object.class);
        return new io.memaudit.worker.source.S3Source.Settings(endpoint instanceof java.net.URI u ? u : null,
                typed(ConfigKeys.S3_REGION, String.class), typed(ConfigKeys.S3_PATH_STYLE, Boolean.class),
                Duration.ofMillis(typed(ConfigKeys.S3_TIMEOUT_MS, Long.class)));
    }

    public long checkpointsMaxBytes() { return typed(ConfigKeys.CHECKPOINTS_MAX_BYTES, Long.class); }

    public int eventMaxBytes() { return typed(ConfigKeys.EVENT_MAX_BYTES, Integer.class); }

    public int dlqMaxValueBytes() { return typed(ConfigKeys.DLQ_MAX_VALUE_BYTES, Integer.class); }

    public int publishRetries() { return typed(ConfigKeys.PUBLISH_RETRIES, Integer.class); }

    public Duration publishBackoff() { return Duration.ofMillis(typed(ConfigKeys.PUBLISH_BACKOFF_MS, Long.class)); }

    /** When an audit stops early (memaudit.audit.sequential...), or null: every audit scores all N probes. */
    public SequentialStop sequentialStop() {
        if (!typed(ConfigKeys.SEQUENTIAL, Boolean.class)) {
            return null;
        }
        return new SequentialStop(typed(ConfigKeys.SEQUENTIAL_BLOCK, Integer.class), typed(ConfigKeys.SEQUENTIAL_FLIP, Double.class));
    }

    /** The verdict's rule: memaudit.verdict.alpha at memaudit.verdict.confirmations consecutive checkpoints. */
    public MemorisationRule verdictRule() {
        return new MemorisationRule(typed(ConfigKeys.VERDICT_ALPHA, Double.class), typed(ConfigKeys.VERDICT_CONFIRMATIONS, Integer.class));
    }

    public double trendThreshold() { return typed(ConfigKeys.TREND_THRESHOLD, Double.class); }

    public int trendRisingCheckpoints() { return typed(ConfigKeys.TREND_RISING_CHECKPOINTS, Integer.class); }

    public double trendRisingMinDelta() { return typed(ConfigKeys.TREND_RISING_MIN_DELTA, Double.class); }

    public boolean trendVerdictChange() { return typed(ConfigKeys.TREND_VERDICT_CHANGE, Boolean.class); }

    public Duration shutdownTimeout() { return Duration.ofMillis(typed(ConfigKeys.SHUTDOWN_TIMEOUT_MS, Long.class)); }

    public int managementPort() { return typed(ConfigKeys.MANAGEMENT_PORT, Integer.class); }

    public String managementHost() { return typed(ConfigKeys.MANAGEMENT_HOST, String.class); }

    /** The bearer token for /metrics and /api, or null when none is configured. */
    public String managementToken() {
        String t = typed(ConfigKeys.MANAGEMENT_TOKEN, String.class);
        return t == null || t.isBlank() ? null : t;
    }

    public io.memaudit.worker.log.LogFormat logFormat() {
        return typed(ConfigKeys.LOG_FORMAT, io.memaudit.worker.log.LogFormat.class);
    }

    public Duration runGracePeriod() { return Duration.ofMillis(typed(ConfigKeys.METRICS_RUN_GRACE_MS, Long.class)); }

    /** Non-fatal findings: likely typos in environment variables, pass-through names no client knows. */
    public List<String> warnings() { return List.copyOf(warnings); }

    /**
     * Every key with its effective value and source, one per line, for the startup log; values of
     * secret-looking settings (password, jaas, secret, token, keystore.key) are masked.
     */
    public String describe() {
        Map<String, String> lines = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKeys.ALL) {
            lines.put(key.name(), KafkaClientSettings.masked(key.name(), shown(key)) + "  (" + sources.get(key) + ")");
        }
        settings.forEach((name, s) -> {
            if (name.startsWith(ConfigKeys.KAFKA_PREFIX)) {
                lines.put(name, KafkaClientSettings.masked(name, s.value()) + "  (" + s.source() + ")");
            }
        });
        int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder out = new StringBuilder();
        lines.forEach((k, v) -> out.append(String.format("%-" + width + "s = %s%n", k, v)));
        return out.toString();
    }

    private String shown(ConfigKey key) {
        if (key == ConfigKeys.WORKER_ID) {
            return workerId();
        }
        if (key == ConfigKeys.CHECKPOINTS_ALLOWED_ROOTS) {
            return String.join(",", allowedRoots().stream().map(Path::toString).toList());
        }
        if (key == ConfigKeys.DATA_DIR) {
            return dataDir().map(Path::toString).orElse("(default data set cache)");
        }
        Object v = values.get(key);
        if (v instanceof io.memaudit.worker.log.LogFormat f) {
            return f.wire();
        }
        return v instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(v);
    }

    /** {@code <hostname>-<pid>}, computed once. */
    private static final class DefaultWorkerId {
        static final String VALUE = hostname() + "-" + ProcessHandle.current().pid();

        private static String hostname() {
            String env = System.getenv("HOSTNAME");
            if (env != null && !env.isBlank()) {
                return env.strip();
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }
    }
}
