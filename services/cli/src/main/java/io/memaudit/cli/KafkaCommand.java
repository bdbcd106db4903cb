package io.memaudit.cli;

import io.memaudit.kafka.EmbeddedKafka;
import io.memaudit.kafka.PortInUseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "kafka", mixinStandardHelpOptions = true,
        header = "Runs a real Apache Kafka broker on 127.0.0.1 (for the demo without a cluster).",
        description = {"Runs a real Apache Kafka broker (4.1, KRaft: broker and controller in this process) on",
                "127.0.0.1, for the streaming demo when there is no cluster. Topics are not created",
                "automatically. Runs until Ctrl-C (SIGINT) or SIGTERM, then stops the broker and exits 0."})
final class KafkaCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "9092", description = "Client port; 0 = a free one (default: ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the broker keeps its data, kept for the next start (default: a temporary directory, removed on exit).")
    Path dataDir;
    @Option(names = "--partitions", defaultValue = "3", description = "num.partitions: the default partitions of new topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws InterruptedException {
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults()
                .withPort(port).withDataDir(dataDir).withPartitions(partitions);
        EmbeddedKafka kafka;
        try {
            kafka = EmbeddedKafka.start(options);
        } catch (PortInUseException e) {
            throw e.as("--port"); // the option the user can change; the controller port is always a free one
        }
        CountDownLatch stop = new CountDownLatch(1);
        onSignals(stop, "INT", "TERM");
        // also stops the broker when the JVM ends some other way (System.exit elsewhere, SIGHUP)
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "memaudit-kafka-shutdown"));
        System.out.printf("Kafka broker ready at %s (data in %s). Ctrl-C to stop.%n", kafka.bootstrapServers(), kafka.dataDir());
        System.out.flush();
        try {
            stop.await();
        } finally {
            kafka.close();
        }
        System.out.println("Kafka broker stopped.");
        return 0;
    }

    /**
     * Turns the signals into a count-down, so that the broker is closed on the main thread and the
     * command exits 0 rather than with the JVM's 128+signal. Where a signal cannot be handled, the
     * shutdown hook still closes the broker.
     */
    private static void onSignals(CountDownLatch stop, String... names) {
        for (String name : names) {
            try {
                Signal.handle(new Signal(name), s -> stop.countDown());
            } catch (IllegalArgumentException | LinkageError e) {
                System.err.println("kafka: cannot handle SIG" + name + " (" + e.getMessage() + "); it will stop the broker through the shutdown hook");
            }
        }
    }
}
