package io.memaudit.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.memaudit.worker.log.LogFormat;
import io.memaudit.worker.log.Logs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.memaudit.cli.CommandLineTest.memaudit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expected failures at start (no broker, a taken port) end the command at once with one line that
 * names the option to change, and a non-zero exit; no stack trace, no flood of Kafka client warnings.
 */
class StartupErrorsTest {
    @TempDir
    Path tmp;

    /** A port nobody listens on: bound, then closed. */
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static List<String> lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void trainWithoutABrokerFailsBeforeTrainingNamingKafkaOption() throws Exception {
        String servers = "127.0.0.1:" + closedPort();
        Path out = tmp.resolve("run");
        long start = System.nanoTime();
        CommandLineTest.Outcome o = memaudit("train", "--dataset", "mnist", "--epochs", "1", "--out", out.toString(),
                "--data-dir", tmp.resolve("no-data").toString(), "--kafka", servers);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(1, o.code(), o.err());
        assertEquals(List.of("train: error: cannot reach Kafka at " + servers
                + " (connection refused; is the broker running? check --kafka)"), lines(o.err()));
        assertFalse(Files.exists(out), "nothing trained, nothing fetched: the check comes first");
        assertFalse(Files.exists(tmp.resolve("no-data")), "no data set fetched before the check");
        assertTrue(millis < 5000, millis + " ms");
    }

    @Test
    void publishWithoutABrokerNamesItsBootstrapOption() throws Exception {
        CommandLineTest.Outcome printed = memaudit("publish", "--checkpoint", checkpoint().toString(), "--print");
        assertEquals(0, printed.code(), printed.err());
        String servers = "127.0.0.1:" + closedPort();
        CommandLineTest.Outcome o = memaudit("publish", "--checkpoint", checkpoint().toString(), "--kafka", servers);
        assertEquals(1, o.code(), o.err());
        assertEquals(List.of("publish: error: cannot reach Kafka at " + servers
                + " (connection refused; is the broker running? check --kafka)"), lines(o.err()));
    }

    private Path checkpoint() throws Exception {
        Path dir = tmp.resolve("ckpt-0001");
        if (!Files.exists(dir)) {
            io.memaudit.common.model.TestCheckpoints.writeMlp(dir, 1);
        }
        return dir;
    }

    @Test
    void theWorkerWithJsonLogsWritesOnlyJsonLinesUpToItsError() throws Exception {
        String servers = "127.0.0.1:" + closedPort();
        CommandLineTest.Outcome o;
        try {
            o = memaudit("worker", "--set", "memaudit.kafka.bootstrap.servers=" + servers, "--set", "memaudit.log.format=json",
                    "--set", "memaudit.management.port=0", "--set", "memaudit.management.host=127.0.0.1");
        } finally {
            Logs.useFormat(LogFormat.TEXT);
        }
        assertEquals(1, o.code(), o.err());
        List<String> lines = lines(o.err());
        assertTrue(lines.size() >= 2, o.err());
        for (String line : lines) {
            JsonObject json = JsonParser.parseString(line).getAsJsonObject(); // throws on any line that is not JSON
            assertTrue(json.has("level") && json.has("formattedMessage"), line);
        }
        JsonObject last = JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
        assertEquals("ERROR", last.get("level").getAsString());
        assertEquals("worker: error: the worker did not start: cannot reach Kafka at " + servers + " (connection refused; "
                + "is the broker running? check memaudit.kafka.bootstrap.servers [override])",
                last.get("formattedMessage").getAsString());
    }

    @Test
    void aBadLogFormatIsABadValueNamingTheKey() {
        CommandLineTest.Outcome o = memaudit("worker", "--set", "memaudit.kafka.bootstrap.servers=127.0.0.1:1",
                "--set", "memaudit.log.format=xml");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("memaudit.log.format = 'xml': expected text or json [override]"), o.err());
    }

    @Test
    @Tag("broker")
    void theDemoNamesItsOwnOptionWhenTheManagementPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            int port = taken.getLocalPort();
            CommandLineTest.Outcome o = memaudit("demo", "--management-port", String.valueOf(port), "--out",
                    tmp.resolve("demo").toString(), "--data-dir", tmp.resolve("no-data").toString());
            assertEquals(1, o.code(), o.err());
            List<String> err = lines(o.err()); // (the broker's and worker's INFO lines before it: `memaudit demo` hides them)
            assertEquals("demo: error: --management-port " + port + ": 0.0.0.0:" + port + " is already in use "
                    + "(another worker or demo?); choose a free port, or 0 for any free one", err.get(err.size() - 1));
            assertTrue(err.stream().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), o.err());
            assertFalse(Files.exists(tmp.resolve("no-data")), "no data set fetched before the worker started");
        }
    }
}
