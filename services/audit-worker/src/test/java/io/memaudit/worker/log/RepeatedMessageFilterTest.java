package io.memaudit.worker.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A Kafka client's warning per reconnect attempt becomes one line per interval, with the count of those held back. */
class RepeatedMessageFilterTest {
    private static final String REFUSED = "[Producer clientId=memaudit-trainer] Connection to node {} ({}) could not be "
            + "established. Node may not be available.";

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private LoggerContext context;

    @BeforeEach
    void newContext() {
        context = new LoggerContext(); // its own, not the tests' logging
        RepeatedMessageFilter filter = new RepeatedMessageFilter();
        filter.setLoggers("org.apache.kafka");
        filter.setIntervalSeconds(30);
        filter.setClock(now::get);
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
        lines.setContext(context);
        lines.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(lines);
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void theSameWarningOneHundredTimesIsOneLine() {
        Logger network = context.getLogger("org.apache.kafka.clients.NetworkClient");
        for (int i = 0; i < 100; i++) {
            network.warn(REFUSED, -1, "/127.0.0.1:1");
            now.addAndGet(100); // ten attempts a second: 10 s in all, within one interval
        }
        assertEquals(List.of("[Producer clientId=memaudit-trainer] Connection to node -1 (/127.0.0.1:1) could not be "
                + "established. Node may not be available."), messages());
        assertSame(Level.WARN, lines.list.get(0).getLevel());
    }

    @Test
    void afterTheIntervalTheNextOneIsShownWithTheCountHeldBack() {
        Logger network = context.getLogger("org.apache.kafka.clients.NetworkClient");
        for (int i = 0; i < 30; i++) {
            network.warn(REFUSED, -1, "/127.0.0.1:1");
        }
        now.addAndGet(30_000);
        network.warn(REFUSED, -1, "/127.0.0.1:1");
        network.warn(REFUSED, -1, "/127.0.0.1:1");
        assertEquals(2, lines.list.size(), messages().toString());
        assertEquals("[Producer clientId=memaudit-trainer] Connection to node -1 (/127.0.0.1:1) could not be established. "
                + "Node may not be available. [29 more like this since it was last shown; repeats are shown at most once "
                + "per 30 s]", messages().get(1));
        assertEquals("org.apache.kafka.clients.NetworkClient", lines.list.get(1).getLoggerName());
        assertSame(Level.WARN, lines.list.get(1).getLevel());
    }

    @Test
    void theSameWarningFromEachClientOfTheWorkerIsOneMessage() {
        Logger network = context.getLogger("org.apache.kafka.clients.NetworkClient");
        for (String client : new String[] {"Producer clientId=w-publisher", "Consumer clientId=w-checkpoints, groupId=g",
                "Consumer clientId=w-ledger, groupId=null", "AdminClient clientId=w-health"}) {
            network.warn("[" + client + "] Connection to node {} ({}) could not be established. Node may not be available.",
                    -1, "/127.0.0.1:1");
        }
        now.addAndGet(30_000);
        network.warn("[AdminClient clientId=w-health] Connection to node {} ({}) could not be established. Node may not be "
                + "available.", -1, "/127.0.0.1:1");
        assertEquals(List.of("[Producer clientId=w-publisher] Connection to node -1 (/127.0.0.1:1) could not be established. "
                + "Node may not be available.", "[AdminClient clientId=w-health] Connection to node -1 (/127.0.0.1:1) could not "
                + "be established. Node may not be available. [3 more like this since it was last shown; repeats are shown at "
                + "most once per 30 s]"), messages());
    }

    @Test
    void distinctMessagesAndOtherLoggersAreNotHeldBack() {
        Logger network = context.getLogger("org.apache.kafka.clients.NetworkClient");
        network.warn(REFUSED, -1, "/127.0.0.1:1");
        network.warn(REFUSED, 1, "/127.0.0.1:9092"); // another node: another message
        network.error(REFUSED, -1, "/127.0.0.1:1"); // another level
        Logger ours = context.getLogger("io.memaudit.worker.CheckpointConsumerVerticle");
        for (int i = 0; i < 3; i++) {
            ours.warn("dead-lettered {}", "t-0@1");
        }
        context.getLogger("org.apache.kafkaesque").warn("not a child of org.apache.kafka");
        context.getLogger("org.apache.kafkaesque").warn("not a child of org.apache.kafka");
        assertEquals(8, lines.list.size(), messages().toString());
    }

    @Test
    void linesBelowTheLevelAreNeitherShownNorCounted() {
        Logger network = context.getLogger("org.apache.kafka.clients.NetworkClient");
        network.setLevel(Level.WARN);
        for (int i = 0; i < 5; i++) {
            network.info("Node {} disconnected.", -1);
        }
        network.warn("Node {} disconnected.", -1);
        assertEquals(List.of("Node -1 disconnected."), messages());
    }
}
