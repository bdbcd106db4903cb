package io.memaudit.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code memaudit kafka}: a real broker in a child JVM, stopped by SIGTERM; and its errors. */
@Tag("broker")
class KafkaCommandTest {
    private static final Pattern READY =
            Pattern.compile("Kafka broker ready at 127\\.0\\.0\\.1:(\\d+) \\(data in (.+)\\)\\. Ctrl-C to stop\\.");

    /** Runs KafkaCommand as the memaudit launcher would, in a child JVM. */
    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new KafkaCommand());
        cl.setExecutionExceptionHandler(new Errors());
        System.exit(cl.execute(args));
    }

    @Test
    void runsABrokerUntilSigtermThenExitsZeroAndRemovesTheTemporaryDirectory() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                KafkaCommandTest.class.getName(), "--port", "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            Matcher m = READY.matcher(line == null ? "" : line);
            assertTrue(m.matches(), "first line: " + line);
            int port = Integer.parseInt(m.group(1));
            Path dataDir = Path.of(m.group(2));
            assertTrue(Files.isDirectory(dataDir));
            assertFalse(isFree(port), "the broker listens on " + port);

            p.toHandle().destroy(); // SIGTERM, leaving the output readable (Process.destroy closes it)
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "stops within a minute");
            assertEquals(0, p.exitValue());
            assertEquals(List.of("Kafka broker stopped."), rest(out));
            assertFalse(Files.exists(dataDir), "the temporary data directory is removed");
            assertTrue(isFree(port), "the port is released");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aTakenPortIsOneLineNamingTheOptionAndThePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            String port = Integer.toString(s.getLocalPort());
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            CommandLine cl = new CommandLine(new KafkaCommand());
            cl.setExecutionExceptionHandler(new Errors());
            cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
            assertEquals(Errors.FAILURE, cl.execute("--port", port));
            assertEquals("kafka: error: --port " + port + ": 127.0.0.1:" + port + " is already in use (another broker?); "
                    + "choose a free port, or 0 for any free one", err.toString(StandardCharsets.UTF_8).strip());
        }
    }

    @Test
    void zeroPartitionsIsBadInput() {
        CommandLine cl = new CommandLine(new KafkaCommand());
        cl.setExecutionExceptionHandler(new Errors());
        cl.setErr(new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(Errors.BAD_INPUT, cl.execute("--port", "0", "--partitions", "0"));
    }

    private static List<String> rest(BufferedReader out) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l = out.readLine(); l != null; l = out.readLine()) {
            lines.add(l);
        }
        return lines;
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
