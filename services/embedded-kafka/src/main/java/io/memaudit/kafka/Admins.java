package io.memaudit.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The embedded broker's own admin client: readiness checks and topic creation. */
final class Admins implements AutoCloseable {
    private static final long POLL_MS = 50;

    private final String bootstrapServers;
    private Admin admin;

    Admins(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    synchronized Admin get() {
        if (admin == null) {
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.CLIENT_ID_CONFIG, "memaudit-embedded-kafka",
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                    AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50));
        }
        return admin;
    }

    /** Waits until the broker lists itself in {@code describeCluster}. */
    void awaitReady(long deadlineNanos, String what) {
        Throwable last = null;
        while (System.nanoTime() < deadlineNanos) {
            try {
                DescribeClusterOptions o = new DescribeClusterOptions().timeoutMs(remainingMs(deadlineNanos));
                Collection<Node> nodes = get().describeCluster(o).nodes().get();
                if (!nodes.isEmpty()) {
                    return;
                }
            } catch (ExecutionException e) {
                last = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Kafka broker at " + what, e);
            }
            pause();
        }
        throw new IllegalStateException("Kafka broker at " + what + " started but did not answer describeCluster in time"
                + (last == null ? "" : ": " + last), last);
    }

    /** Waits until the broker's metadata shows {@code partitions} partitions of the topic, each with a leader. */
    void awaitLeaders(String topic, int partitions, long deadlineNanos) {
        Throwable last = null;
        while (System.nanoTime() < deadlineNanos) {
            try {
                DescribeTopicsOptions o = new DescribeTopicsOptions().timeoutMs(remainingMs(deadlineNanos));
                TopicDescription d = get().describeTopics(List.of(topic), o).allTopicNames().get().get(topic);
                if (d != null && hasLeaders(d.partitions(), partitions)) {
                    return;
                }
            } catch (ExecutionException e) {
                last = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
            }
            pause();
        }
        throw new IllegalStateException("topic " + topic + " has no leader for all " + partitions + " partitions in time"
                + (last == null ? "" : ": " + last), last);
    }

    private static boolean hasLeaders(List<TopicPartitionInfo> infos, int partitions) {
        return infos.size() == partitions && infos.stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    }

    private static int remainingMs(long deadlineNanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
