package io.memaudit.cli.faults;

import io.memaudit.cli.Main;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A `memaudit worker` in its own JVM, as an operator runs it: started, killed (-9), stopped (TERM), measured. */
final class WorkerProcess implements AutoCloseable {
    final String id;
    final Path log;
    private final Process process;
    private long peakRssKb;

    private WorkerProcess(String id, Path log, Process process) {
        this.id = id;
        this.log = log;
        this.process = process;
    }

    static WorkerProcess start(String id, Path dir, Map<String, String> settings) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx1g", "-XX:+UseSerialGC", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "worker"));
        settings.forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        cmd.addAll(List.of("--set", "memaudit.worker.id=" + id));
        Path log = dir.resolve(id + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("OMP_NUM_THREADS", "1");
        WorkerProcess w = new WorkerProcess(id, log, pb.start());
        w.awaitLog("running", Duration.ofSeconds(120));
        return w;
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
        sampleRss();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the graceful stop; returns the exit code. */
    int terminate(Duration timeout) throws Exception {
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
