package io.memaudit.kafka;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The broker properties of a one-node KRaft cluster: one process is broker and controller, every
 * internal topic has replication factor 1, and the thread pools are sized for a laptop.
 */
final class BrokerConfig {
    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private BrokerConfig() {
    }

    static Properties properties(EmbeddedKafka.Options options, Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        roles(p, options.host(), port, controllerPort);
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("num.partitions", Integer.toString(options.partitions()));
        p.setProperty("auto.create.topics.enable", Boolean.toString(options.autoCreateTopics()));
        singleNode(p);
        small(p);
        options.brokerProperties().forEach(p::setProperty);
        return p;
    }

    /** host:port, with brackets around an IPv6 literal. */
    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static void roles(Properties p, String host, int port, int controllerPort) {
        String broker = hostPort(host, port);
        String controller = hostPort(host, controllerPort);
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(NODE_ID));
        // static voters (kraft.version 0): the controller port may change between restarts
        p.setProperty("controller.quorum.voters", NODE_ID + "@" + controller);
        p.setProperty("listeners", BROKER_LISTENER + "://" + broker + "," + CONTROLLER_LISTENER + "://" + controller);
        p.setProperty("advertised.listeners", BROKER_LISTENER + "://" + broker);
        p.setProperty("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        p.setProperty("inter.broker.listener.name", BROKER_LISTENER);
    }

    /** Internal topics on one broker: replication 1, min ISR 1, few partitions, no rebalance delay. */
    private static void singleNode(Properties p) {
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "5");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "5");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.num.partitions", "5");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("default.replication.factor", "1");
    }

    /** Thread pools and buffers for a small machine (Kafka's defaults assume a dedicated server). */
    private static void small(Properties p) {
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "4");
        p.setProperty("background.threads", "4");
        p.setProperty("num.recovery.threads.per.data.dir", "1");
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(8 << 20));
        p.setProperty("log.initial.task.delay.ms", "1000");
    }
}
