package io.memaudit.cli;

import io.memaudit.worker.BrokerCheck;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Map;

/** The check that the Kafka cluster answers, before train and publish do anything (see {@link BrokerCheck}). */
final class KafkaCheckOptions {
    @Option(names = "--kafka-check-timeout-ms", defaultValue = "10000", paramLabel = "MS",
            description = "How long to wait for the Kafka brokers to answer before giving up, before any work "
                    + "(default: ${DEFAULT-VALUE}); a refused connection fails at once.")
    long timeoutMs;

    /** @param option the option that set {@code servers}, named in the error ("--kafka") */
    void require(String servers, String option) {
        if (timeoutMs < 100) {
            throw new IllegalArgumentException("--kafka-check-timeout-ms = " + timeoutMs + ": expected at least 100");
        }
        BrokerCheck.require(Map.of("bootstrap.servers", servers), Duration.ofMillis(timeoutMs), option);
    }
}
