package io.memaudit.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Renders {@code deploy/worker.example.properties} from {@link ConfigKeys}: every key with its doc,
 * allowed values, default and environment variable. {@code main(path)} writes it; a test checks that
 * the committed file is what this renders.
 */
public final class ExampleConfig {
    private static final String HEADER = """
            # memaudit audit worker: example configuration (every key, with its default).
            # GENERATED from io.memaudit.worker.ConfigKeys; edit the table there, then regenerate this file:
            #   mvn -pl services/audit-worker test -Dtest=ExampleConfigTest -Dmemaudit.example.update=true
            #
            # The worker reads one config file (--config-file FILE): .properties like this one, or .yaml/.yml with
            # the same keys (nested maps flatten to dotted keys, lists join with commas).
            # Precedence, lowest first: defaults, this file, environment variables.
            # Environment: a memaudit.* key is set by its name upper-cased with '.' and '-' replaced by '_'
            #   (memaudit.topic.scores -> MEMAUDIT_TOPIC_SCORES).
            #
            # Kafka client settings: any kafka.<name> is passed verbatim, without the prefix, to every Kafka
            # client of the worker (consumer, producer, admin), e.g.
            #   kafka.security.protocol=SASL_SSL
            #   kafka.sasl.mechanism=SCRAM-SHA-512
            #   kafka.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p";
            #   kafka.ssl.truststore.location=/etc/memaudit/truststore.p12
            # From the environment: KAFKA_SASL_JAAS_CONFIG -> kafka.sasl.jaas.config (KAFKA_ removed, lower case,
            #   '_' -> '.'); a setting whose name contains '_' cannot be set this way: put it in this file.
            #   Variables that name no Kafka client setting (e.g. KAFKA_HEAP_OPTS) are ignored.
            # Refused: kafka.group.id (use memaudit.group.id), kafka.enable.auto.commit, kafka.*.serializer and
            #   kafka.*.deserializer (the worker sets them). kafka.bootstrap.servers may stand in for
            #   memaudit.kafka.bootstrap.servers. Values of settings named like password, jaas, secret, token
            #   or keystore.key are masked in the startup log.
            """;

    private ExampleConfig() { }

    /** The example file's text. */
    public static String render() {
        StringBuilder out = new StringBuilder(HEADER);
        for (ConfigKey key : ConfigKeys.ALL) {
            out.append('\n').append("# ").append(key.doc()).append('\n');
            out.append("# ").append(capitalised(key.allowed())).append("; ")
                    .append(key.required() ? "required" : "default: " + shownDefault(key))
                    .append("; env ").append(key.envVar()).append('\n');
            out.append(key.required() ? "" : "#").append(key.name()).append('=')
                    .append(key.required() ? key.example() : key.defaultValue()).append('\n');
        }
        return out.toString();
    }

    private static String shownDefault(ConfigKey key) {
        return key.defaultValue().isEmpty() ? "(empty)" : key.defaultValue();
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Writes the example to the given path (default {@code deploy/worker.example.properties}). */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "deploy/worker.example.properties");
        Files.writeString(target, render(), StandardCharsets.UTF_8);
        System.out.println("wrote " + target);
    }
}
