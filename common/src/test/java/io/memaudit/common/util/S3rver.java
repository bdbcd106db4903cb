package io.memaudit.common.util;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real S3-compatible server for the tests: s3rver 3.7.1 (Node), installed with npm into the tool
 * cache on first use ({@code tools} under {@link CacheDirs#root()}, as deploy/install-tools.sh does),
 * started on a free loopback port with a temporary data directory. Its credentials are
 * {@code S3RVER}/{@code S3RVER}; a request signed with another secret is refused (403).
 */
public final class S3rver implements AutoCloseable {
    public static final String VERSION = "3.7.1";
    public static final String KEY = "S3RVER";
    private static final Pattern LISTENING = Pattern.compile("listening on [^:\\s]+:(\\d+)");

    private final Process process;
    public final URI endpoint;

    private S3rver(Process process, int port) {
        this.process = process;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    public static S3rver start(Path data, String... buckets) throws IOException, InterruptedException {
        Path bin = install();
        List<String> cmd = new java.util.ArrayList<>(List.of(bin.toString(), "-d", data.toString(), "-a", "127.0.0.1", "-p", "0"));
        for (String b : buckets) {
            cmd.add("--configure-bucket");
            cmd.add(b);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
                port.completeExceptionally(new IOException("s3rver exited with " + p.waitFor()));
            } catch (IOException | InterruptedException e) {
                port.completeExceptionally(e);
            }
        }, "s3rver-log");
        reader.setDaemon(true);
        reader.start();
        try {
            return new S3rver(p, port.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("s3rver did not start: " + e.getMessage(), e);
        }
    }

    /** The s3rver launcher, installed with npm when it is not in the tool cache yet. */
    public static Path install() throws IOException, InterruptedException {
        Path base = CacheDirs.root().resolve("tools").resolve("s3rver-" + VERSION);
        Path bin = base.resolve("node_modules").resolve(".bin").resolve("s3rver");
        if (Files.isExecutable(bin)) {
            return bin;
        }
        Files.createDirectories(base);
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", base.toString(),
                "s3rver@" + VERSION).redirectErrorStream(true).start();
        String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (npm.waitFor() != 0 || !Files.isExecutable(bin)) {
            throw new IOException("npm install s3rver@" + VERSION + " failed:\n" + out);
        }
        return bin;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
