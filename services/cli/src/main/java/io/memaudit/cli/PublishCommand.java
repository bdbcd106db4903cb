package io.memaudit.cli;

import io.memaudit.common.events.CheckpointEvent;
import io.memaudit.common.events.CheckpointEvents;
import io.memaudit.common.model.CheckpointMetadata;
import io.memaudit.common.model.CheckpointStore;
import io.memaudit.common.util.Json;
import io.memaudit.trainer.KafkaCheckpointPublisher;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "publish", mixinStandardHelpOptions = true,
        header = "Publishes one checkpoint event by hand.",
        description = {"Publishes one checkpoint event by hand (for trainers in other languages, or to re-audit a",
                "checkpoint). The checkpoint directory must hold metadata.json and model.params as written by",
                "`memaudit train`; --run and --step override the metadata. --print shows the event without sending it."})
final class PublishCommand implements Callable<Integer> {
    @Option(names = "--kafka", paramLabel = "BOOTSTRAP", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap;
    @Option(names = "--topic", defaultValue = KafkaCheckpointPublisher.DEFAULT_TOPIC, description = "Topic (default: ${DEFAULT-VALUE}).")
    String topic;
    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "Checkpoint directory.")
    Path checkpoint;
    @Option(names = "--run-id", paramLabel = "ID", description = "Run id (default: from the metadata).")
    String run;
    @Option(names = "--step", description = "Step (default: from the metadata).")
    Long step;
    @Option(names = "--uf", paramLabel = "SPEC", description = "Feature(s) to audit (default: the feature in the metadata).")
    List<String> features;
    @Option(names = "--probes", paramLabel = "SET", defaultValue = "cifar10-gray-28", description = "Probe set (default: ${DEFAULT-VALUE}).")
    String probeSet;
    @Option(names = "--n", defaultValue = "2000", description = "Probe images (default: ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--print", description = "Print the event JSON and do not send it.")
    boolean print;
    @Mixin
    KafkaCheckOptions kafkaCheck;

    @Override
    public Integer call() {
        CheckpointMetadata m = CheckpointStore.readMetadata(checkpoint);
        List<String> specs = features != null ? features : m.feature() == null ? List.of() : List.of(m.feature().spec());
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("--uf is required: " + checkpoint + "/metadata.json names no feature");
        }
        CheckpointEvent e = CheckpointEvents.fromCheckpoint(checkpoint, m, specs, probeSet, n);
        e = new CheckpointEvent(e.schemaVersion(), run != null ? run : e.runId(), step != null ? step : e.step(), e.epoch(),
                e.createdAt(), e.model(), e.audit(), e.trainingMetrics());
        if (print) {
            System.out.println(Json.GSON.toJson(e));
            return 0;
        }
        kafkaCheck.require(bootstrap, "--kafka");
        try (KafkaCheckpointPublisher p = new KafkaCheckpointPublisher(Map.of("bootstrap.servers", bootstrap), topic,
                specs, probeSet, n)) {
            RecordMetadata r = p.publish(e);
            System.out.printf("published run %s step %d to %s partition %d offset %d%n", e.runId(), e.step(), r.topic(),
                    r.partition(), r.offset());
        }
        return 0;
    }
}
