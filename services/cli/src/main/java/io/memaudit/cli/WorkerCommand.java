package io.memaudit.cli;

import io.memaudit.worker.AuditWorker;
import io.memaudit.worker.StartupException;
import io.memaudit.worker.WorkerConfig;
import io.memaudit.worker.WorkerListener;
import io.memaudit.worker.WorkerRuntime;
import io.memaudit.worker.log.Logs;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "worker", mixinStandardHelpOptions = true,
        header = "Runs the audit worker that scores checkpoint events from Kafka.",
        description = {"Runs the audit worker: consumes checkpoint events from Kafka, scores each checkpoint, publishes",
                "scores, alerts and dead letters. Configuration: --config FILE (.properties or .yaml), environment",
                "variables (MEMAUDIT_TOPIC_SCORES=..., KAFKA_SECURITY_PROTOCOL=...) and --set key=value, in rising",
                "priority; deploy/worker.example.properties lists every key. Stops gracefully on SIGTERM/Ctrl-C."})
final class WorkerCommand implements Callable<Integer> {
    // log lines rather than prints: with memaudit.log.format=json every line on stderr is a JSON object
    private static final Logger LOG = LoggerFactory.getLogger(WorkerCommand.class);

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (.properties, .yaml or .yml).")
    Path config;
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        WorkerConfig cfg = WorkerConfig.load(config, System.getenv(), overrides);
        Logs.useFormat(cfg.logFormat()); // before the first line: the whole log in one format
        var registry = WorkerRuntime.newRegistry();
        Vertx vertx = WorkerRuntime.newVertx(registry);
        AuditWorker worker;
        try {
            worker = AuditWorker.start(vertx, cfg, WorkerListener.NONE, registry).toCompletionStage().toCompletableFuture().get();
        } catch (java.util.concurrent.ExecutionException e) {
            vertx.close();
            // a StartupException's line is complete (setting, value, problem); other failures say what is wrong at the root
            String why = e.getCause() instanceof StartupException s ? s.getMessage() : causes(e.getCause());
            throw new IllegalStateException("the worker did not start: " + why, e.getCause());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong stopAsked = new java.util.concurrent.atomic.AtomicLong();
        AuditWorker running = worker;
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                stopAsked.set(System.nanoTime());
                LOG.info("stopping: finishing in-flight checkpoints and committing ...");
                running.stop().eventually(vertx::close).onComplete(x -> stopped.countDown());
            }
        };
        // SIGTERM/SIGINT: a graceful stop that ends with exit status 0 (the JVM's own handling would
        // run the shutdown hooks and exit 143 after the same clean stop)
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> stop.run());
            } catch (IllegalArgumentException | LinkageError e) {
                LOG.warn("cannot handle SIG{} ({}); the shutdown hook stops the worker", name, e.getMessage());
            }
        }
        // any other end of the JVM (System.exit elsewhere, SIGHUP) still stops gracefully
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            try {
                stopped.await(cfg.shutdownTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "memaudit-shutdown"));
        LOG.info("audit worker {} running; metrics at http://localhost:{}/metrics; Ctrl-C to stop", cfg.workerId(),
                worker.managementPort());
        // a stop is bounded: the graceful part by memaudit.shutdown.timeout-ms, closing the clients by 10 s more;
        // whatever is not committed by then is redelivered to the next worker
        long limitNanos = cfg.shutdownTimeout().toNanos() + TimeUnit.SECONDS.toNanos(10);
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            if (stopping.get() && System.nanoTime() - stopAsked.get() > limitNanos) {
                LOG.error("did not stop within {} s; exiting (uncommitted checkpoints are redelivered)",
                        TimeUnit.NANOSECONDS.toSeconds(limitNanos));
                return 1;
            }
        }
        LOG.info("stopped");
        return 0;
    }

    /**
     * Every distinct message down the cause chain: a TLS or SASL failure says what is wrong only at its
     * root ("…: /etc/kafka/truststore.jks (No such file or directory)"), under generic wrappers.
     */
    static String causes(Throwable t) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && parts.size() < 8; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            if (parts.stream().noneMatch(p -> p.contains(m))) {
                parts.add(m);
            }
        }
        return String.join(": ", parts);
    }
}
