package io.memaudit.cli.faults;

import io.memaudit.cli.Main;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A `memaudit worker` in its own JVM, as an operator runs it (the image's JVM options,
 * deploy/docker/jvm.options): started, killed (-9), stopped (TERM), measured — peak RSS, and /health
 * asked every 500 ms with the 2 s deadline of the Kubernetes probe while it runs.
 */
final class WorkerProcess implements AutoCloseable {
    static final Duration HEALTH_DEADLINE = Duration.ofSeconds(2);
    private static final Pattern MANAGEMENT_PORT = Pattern.compile("management on :(\\d+)");

    final String id;
    final Path log;
    private final Process process;
    private long peakRssKb;
    private final AtomicLong slowestHealthMs = new AtomicLong();
    private final List<String> healthMisses = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile boolean watching;
    private Thread watcher;

    private WorkerProcess(String id, Path log, Process process) {
        this.id = id;
        this.log = log;
        this.process = process;
    }

    static WorkerProcess start(String id, Path dir, Map<String, String> settings) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path jvmOptions = repositoryRoot().resolve("deploy/docker/jvm.options");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "@" + jvmOptions,
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "worker"));
        settings.forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        cmd.addAll(List.of("--set", "memaudit.worker.id=" + id));
        Path log = dir.resolve(id + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("OMP_NUM_THREADS", "1");
        WorkerProcess w = new WorkerProcess(id, log, pb.start());
        w.awaitLog("running", Duration.ofSeconds(120));
        w.watchHealth();
        return w;
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("deploy/docker/jvm.options"))) {
                return p;
            }
        }
        throw new IllegalStateException("deploy/docker/jvm.options not found above " + Path.of("").toAbsolutePath());
    }

    /** Asks /health every 500 ms, as a liveness probe would, until the worker is killed or stopped. */
    private void watchHealth() throws Exception {
        Matcher m = MANAGEMENT_PORT.matcher(Files.readString(log));
        if (!m.find()) {
            throw new AssertionError(id + ": no management port in the log");
        }
        URI health = URI.create("http://127.0.0.1:" + m.group(1) + "/health");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(HEALTH_DEADLINE).build();
        watching = true;
        watcher = new Thread(() -> {
            while (watching) {
                long t0 = System.nanoTime();
                try {
                    int code = http.send(HttpRequest.newBuilder(health).timeout(HEALTH_DEADLINE).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    slowestHealthMs.accumulateAndGet(ms, Math::max);
                    if (code != 200 && watching) {
                        healthMisses.add("HTTP " + code + " after " + ms + " ms");
                    }
                } catch (Exception e) {
                    if (watching) {
                        healthMisses.add(e.getClass().getSimpleName() + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                    }
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "health-" + id);
        watcher.setDaemon(true);
        watcher.start();
    }

    private void stopWatching() throws InterruptedException {
        watching = false;
        if (watcher != null) {
            watcher.interrupt();
            watcher.join(5000);
        }
    }

    /** The slowest /health answer seen, in milliseconds. */
    long slowestHealthMs() {
        return slowestHealthMs.get();
    }

    /** /health requests that missed the deadline or did not answer 200 while the worker ran. */
    List<String> healthMisses() {
        return List.copyOf(healthMisses);
    }

    void awaitLog(String fragment, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!Files.readString(log).contains(fragment)) {
            sampleRss();
            if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                throw new AssertionError(id + ": no line with '" + fragment + "' (alive " + process.isAlive() + "):\n"
                        + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    /** Lines of the log that contain {@code fragment}. */
    long count(String fragment) throws Exception {
        return Files.readAllLines(log).stream().filter(l -> l.contains(fragment)).count();
    }

    /** SIGKILL: no shutdown hook, no commit, no group leave. */
    void kill() throws Exception {
        stopWatching();
        sampleRss();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the graceful stop; returns the exit code. */
    int terminate(Duration timeout) throws Exception {
        stopWatching();
        sampleRss();
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(id + " did not stop within " + timeout + " of SIGTERM:\n" + Files.readString(log));
        }
        return process.exitValue();
    }

    /** Peak resident memory seen (VmHWM), in MiB. */
    long peakRssMib() {
        sampleRss();
        return peakRssKb / 1024;
    }

    private void sampleRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peakRssKb = Math.max(peakRssKb, Long.parseLong(line.replaceAll("\\D", "")));
                }
            }
        } catch (Exception gone) {
            // the process has exited: keep the last sample
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            kill();
        }
    }
}
