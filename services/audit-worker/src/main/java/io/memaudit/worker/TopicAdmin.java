package io.memaudit.worker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Checks that the worker's topics exist at start; creates missing ones when allowed, else fails naming them. */
final class TopicAdmin {
    private TopicAdmin() { }

    /** Blocking: call from a worker thread or before Vert.x starts. */
    static List<String> ensure(WorkerConfig config) {
        Map<String, Object> props = new HashMap<>(config.kafkaClientProperties());
        props.put("client.id", config.workerId() + "-admin");
        List<String> wanted = List.of(config.topicCheckpoints(), config.topicScores(), config.topicAlerts(), config.topicDlq());
        long start = System.nanoTime();
        Admin admin = Admin.create(props);
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> missing = new ArrayList<>(wanted.stream().filter(t -> !existing.contains(t)).toList());
            if (missing.isEmpty()) {
                return missing;
            }
            if (!config.topicsAutoCreate()) {
                throw new IllegalStateException("topic(s) " + missing + " do not exist on " + config.bootstrapServers()
                        + " and memaudit.topics.auto-create is false: create them, or set it to true");
            }
            List<NewTopic> create = missing.stream()
                    .map(t -> new NewTopic(t, config.topicsPartitions(), config.topicsReplicationFactor())).toList();
            try {
                admin.createTopics(create).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                // another worker created it at the same moment
            }
            return missing;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot check or create topics on " + config.bootstrapServers() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            // the time measured, not the one asked for: closing the client once waited as long again (see below)
            throw new IllegalStateException(String.format(java.util.Locale.ROOT, "Kafka at %s did not answer the topic check "
                    + "within %.1f s", config.bootstrapServers(), (System.nanoTime() - start) / 1e9), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        } finally {
            // close() would wait for the calls still pending, up to default.api.timeout.ms (60 s)
            admin.close(java.time.Duration.ZERO);
        }
    }
}
