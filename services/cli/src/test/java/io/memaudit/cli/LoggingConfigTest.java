package io.memaudit.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The logback.xml the memaudit jar ships: levels as documented, and one line for a Kafka warning repeated per reconnect. */
class LoggingConfigTest {
    @Test
    void theShippedConfigurationKeepsOneLinePerRepeatedKafkaWarning() throws Exception {
        URL config = Main.class.getResource("/logback.xml");
        assertNotNull(config, "logback.xml on the class path");
        LoggerContext context = new LoggerContext(); // its own, configured from the shipped file alone
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        joran.doConfigure(config);
        List<Status> problems = context.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getLevel() >= Status.WARN).toList();
        assertEquals(List.of(), problems, "the file configures without warnings");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.setContext(context);
        lines.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(lines);

        org.slf4j.Logger network = context.getLogger("org.apache.kafka.clients.NetworkClient");
        for (int i = 0; i < 70; i++) { // what one unreachable broker printed in 30 s before
            network.warn("[Producer clientId=memaudit-trainer] Connection to node {} ({}) could not be established. "
                    + "Node may not be available.", -1, "/127.0.0.1:1");
        }
        network.info("[Producer clientId=memaudit-trainer] Node -1 disconnected."); // libraries: WARN and up
        context.getLogger("io.memaudit.worker.ScoringService").info("run r step 1 glyph:A: M_KL 0.01");

        assertEquals(2, lines.list.size(), lines.list.toString());
        assertTrue(lines.list.get(0).getFormattedMessage().contains("Connection to node -1 (/127.0.0.1:1)"));
        assertEquals("run r step 1 glyph:A: M_KL 0.01", lines.list.get(1).getFormattedMessage());
    }
}
