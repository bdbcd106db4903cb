package io.memaudit.worker;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Kafka clients' own metrics ({@code kafka_consumer_*}, {@code kafka_producer_*}, labelled with
 * {@code client_id}) through Micrometer's {@link KafkaClientMetrics}. Close the returned binder before
 * the client: it stops its refresh thread and removes the client's meters.
 */
final class KafkaClientMeters {
    private KafkaClientMeters() { }

    static KafkaClientMetrics bind(MeterRegistry registry, Consumer<?, ?> consumer) {
        KafkaClientMetrics m = new KafkaClientMetrics(consumer);
        m.bindTo(registry);
        return m;
    }

    static KafkaClientMetrics bind(MeterRegistry registry, Producer<?, ?> producer) {
        KafkaClientMetrics m = new KafkaClientMetrics(producer);
        m.bindTo(registry);
        return m;
    }

    /** Closes a binder, if there is one. */
    static void close(KafkaClientMetrics m) {
        if (m != null) {
            m.close();
        }
    }

    /**
     * Keeps the Kafka client's names within Prometheus's rules ({@code promtool check metrics}): drops
     * the times in nanoseconds and milliseconds ({@code *_time_ns_total}, {@code *_time_ns_avg},
     * {@code kafka_app_info_start_time_ms}; the {@code *_ratio} gauges and the latency averages cover
     * them), renames {@code *_connection_count}, a gauge, to {@code *_connections}, and describes the
     * few metrics the client leaves without a description (e.g. the per-node request latencies).
     */
    static MeterFilter prometheusNames() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                String n = id.getName();
                boolean abbreviatedUnit = n.contains(".ns.") || n.endsWith(".ns") || n.endsWith(".ms");
                return n.startsWith("kafka.") && abbreviatedUnit ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }

            @Override
            public Meter.Id map(Meter.Id id) {
                String n = id.getName();
                if (!n.startsWith("kafka.")) {
                    return id;
                }
                Meter.Id named = n.endsWith(".connection.count")
                        ? id.withName(n.substring(0, n.length() - ".connection.count".length()) + ".connections") : id;
                String d = named.getDescription();
                return d != null && !d.isBlank() ? named : new Meter.Id(named.getName(), Tags.of(named.getTagsAsIterable()),
                        named.getBaseUnit(), "Kafka client metric " + n + " (the client gives no description)", named.getType());
            }
        };
    }
}
