package io.memaudit.worker;

import org.apache.kafka.clients.admin.Admin;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Whether the cluster answered a describeCluster recently; checked on a worker thread, read from anywhere. */
final class KafkaHealth implements AutoCloseable {
    private final Admin admin;
    private volatile boolean reachable;

    KafkaHealth(Map<String, String> clientProps, String workerId) {
        Map<String, Object> p = new HashMap<>(clientProps);
        p.put("client.id", workerId + "-health");
        p.put("request.timeout.ms", "5000");
        p.put("default.api.timeout.ms", "5000");
        this.admin = Admin.create(p);
    }

    /** Blocking check (at most ~5 s); updates {@link #reachable()}. */
    boolean check() {
        try {
            admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
            reachable = true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            reachable = false;
        }
        return reachable;
    }

    boolean reachable() {
        return reachable;
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
