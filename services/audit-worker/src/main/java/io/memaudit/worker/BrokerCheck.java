package io.memaudit.worker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.KafkaException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Checks once, before any real work (training, publishing, consuming), that the Kafka cluster at the
 * bootstrap servers answers, and fails at once with one line that names the setting to fix:
 * <pre>cannot reach Kafka at 127.0.0.1:1 (connection refused; is the broker running? check --kafka)</pre>
 * Without it a producer trains an epoch first and then fails with "Topic … not present in metadata",
 * after a warning per reconnect attempt.
 *
 * <p>Three steps: with settings beyond the servers (TLS, SASL), the Admin client is created first (a
 * missing truststore fails here, naming the file); a TCP connection to each bootstrap address (a refused
 * connection or an unknown host fails in milliseconds, with that reason); then {@code describeCluster}
 * within the timeout (a port that accepts connections but speaks no Kafka, or a failed TLS/SASL handshake).
 */
public final class BrokerCheck {
    /** What the cluster answered, and how long the check took. */
    public record Cluster(String id, int brokers, long millis) { }

    private BrokerCheck() { }

    /**
     * @param clientProps Kafka client settings; must contain bootstrap.servers
     * @param timeout     the longest wait for an answer
     * @param setting     what the user set the servers with, named in the error ("--kafka",
     *                    "memaudit.kafka.bootstrap.servers [env MEMAUDIT_KAFKA_BOOTSTRAP_SERVERS]")
     * @throws IllegalStateException "cannot reach Kafka at …" when the cluster does not answer
     * @throws IllegalArgumentException when the servers are not a comma list of host:port
     */
    public static Cluster require(Map<String, ?> clientProps, Duration timeout, String setting) {
        String servers = String.valueOf(clientProps.get("bootstrap.servers"));
        long start = System.nanoTime();
        // settings beyond the servers (TLS, SASL) are checked first: a missing truststore is a fix to make now; with
        // none, the client is created only once a broker accepts connections (it would warn about a refused one)
        Admin admin = clientProps.size() > 1 ? create(clientProps, timeout, servers, setting) : null;
        try {
            List<String> refusals = connect(servers, timeout, setting);
            if (refusals.size() == ValueType.list(servers).size()) {
                throw unreachable(servers, String.join(", ", refusals) + "; is the broker running? check " + setting);
            }
            if (admin == null) {
                admin = create(clientProps, timeout, servers, setting);
            }
            return describe(admin, servers, timeout, start, setting);
        } finally {
            // without waiting: close() waits for calls still pending (up to default.api.timeout.ms), which
            // once doubled the time a failed start took
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
        }
    }

    private static Admin create(Map<String, ?> clientProps, Duration timeout, String servers, String setting) {
        Map<String, Object> p = new HashMap<>(clientProps);
        p.putIfAbsent("client.id", "memaudit-broker-check");
        p.put("request.timeout.ms", (int) timeout.toMillis());
        p.put("default.api.timeout.ms", (int) timeout.toMillis());
        try {
            return Admin.create(p);
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot create a Kafka client for " + servers + " (" + setting + "): "
                    + causes(e), e);
        }
    }

    /** One line per bootstrap address that cannot be connected to at all ("127.0.0.1:1: connection refused"). */
    private static List<String> connect(String servers, Duration timeout, String setting) {
        try {
            ValueType.hostPorts().parse(servers);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " = '" + servers + "': expected a comma list of host:port"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
        List<String> failures = new ArrayList<>();
        for (String server : ValueType.list(servers)) {
            int colon = server.lastIndexOf(':');
            String host = server.substring(0, colon).replace("[", "").replace("]", "");
            String failure = connect(host, Integer.parseInt(server.substring(colon + 1)), timeout);
            if (failure != null) {
                failures.add(ValueType.list(servers).size() == 1 ? failure : server + ": " + failure);
            }
        }
        return failures;
    }

    /** Null when some address of the host accepts a connection, else why none does. */
    private static String connect(String host, int port, Duration timeout) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return "unknown host " + host;
        }
        String failure = null;
        for (InetAddress address : addresses) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
                return null;
            } catch (ConnectException e) {
                failure = "connection refused";
            } catch (SocketTimeoutException e) {
                failure = "no answer to a connection within " + seconds(timeout.toMillis());
            } catch (IOException e) {
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        }
        return failure;
    }

    private static Cluster describe(Admin admin, String servers, Duration timeout, long start, String setting) {
        try {
            DescribeClusterResult r = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
            int brokers = r.nodes().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS).size();
            return new Cluster(r.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS), brokers, millisSince(start));
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
                throw unreachable(servers, "the port accepts connections, but no Kafka broker answered within "
                        + seconds(millisSince(start)) + "; is it a Kafka listener, with the client's security settings? check "
                        + setting);
            }
            throw unreachable(servers, causes(cause) + "; check " + setting);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka at " + servers, e);
        }
    }

    private static IllegalStateException unreachable(String servers, String why) {
        return new IllegalStateException("cannot reach Kafka at " + servers + " (" + why + ")");
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** Every distinct message down the cause chain: TLS and SASL failures say what is wrong only at the root. */
    static String causes(Throwable t) {
        List<String> parts = new ArrayList<>();
        for (Throwable c = t; c != null && parts.size() < 8; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            if (parts.stream().noneMatch(p -> p.contains(m))) {
                parts.add(m);
            }
        }
        return String.join(": ", parts);
    }
}
