package io.memaudit.worker;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The {@code kafka.*} pass-through settings: which are allowed, and how secrets are hidden in logs.
 *
 * <p>Settings the worker manages itself are refused ({@code group.id} has its own key; offsets are
 * committed by the worker; (de)serialisers are fixed). A name that no Kafka client knows is passed
 * through from a file with a warning (plugins read their own settings), but ignored from the
 * environment, where unrelated {@code KAFKA_*} variables are common (e.g. {@code KAFKA_HEAP_OPTS}).
 */
final class KafkaClientSettings {
    static final String BOOTSTRAP = "bootstrap.servers";
    private static final String MASK = "******";
    private static final List<String> SECRET_WORDS = List.of("password", "jaas", "secret", "token", "keystore.key");
    private static final Map<String, String> MANAGED = Map.of(
            "group.id", "use " + ConfigKeys.GROUP_ID.name(),
            "enable.auto.commit", "the worker commits offsets itself, after each result is acknowledged",
            "key.serializer", "the worker sets its serialisers",
            "value.serializer", "the worker sets its serialisers",
            "key.deserializer", "the worker sets its deserialisers",
            "value.deserializer", "the worker sets its deserialisers");
    private static final Set<String> KNOWN = knownClientSettings();

    private KafkaClientSettings() { }

    /**
     * Sorts {@code kafka.*} settings into {@code accepted} (client name → value), {@code problems} and
     * {@code warnings}. {@code bootstrap.servers} is not handled here.
     */
    static void sort(Map<String, WorkerConfig.Setting> settings, Map<String, String> accepted, List<String> problems,
                     List<String> warnings) {
        for (Map.Entry<String, WorkerConfig.Setting> e : new TreeMap<>(settings).entrySet()) {
            String client = e.getKey().substring(ConfigKeys.KAFKA_PREFIX.length());
            WorkerConfig.Setting s = e.getValue();
            if (client.equals(BOOTSTRAP)) {
                continue;
            }
            if (MANAGED.containsKey(client)) {
                problems.add(e.getKey() + " (" + s.source() + ") cannot be set: " + MANAGED.get(client));
            } else if (client.isEmpty()) {
                problems.add(e.getKey() + " (" + s.source() + "): expected kafka.<client setting>");
            } else if (KNOWN.contains(client)) {
                accepted.put(client, s.value());
            } else if (s.source().startsWith(WorkerConfig.ENV_SOURCE)) {
                warnings.add(s.source() + " ignored: '" + client + "' is not a Kafka client setting");
            } else {
                warnings.add(e.getKey() + " (" + s.source() + "): '" + client
                        + "' is not a Kafka client setting; passed through anyway");
                accepted.put(client, s.value());
            }
        }
    }

    /** Whether a setting's value must not be logged. */
    static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(k::contains);
    }

    static String masked(String key, String value) {
        return isSecret(key) && value != null && !value.isEmpty() ? MASK : value;
    }

    private static Set<String> knownClientSettings() {
        Set<String> names = new HashSet<>(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return Set.copyOf(names);
    }
}
