package io.memaudit.trainer;

import io.memaudit.common.util.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes {@code run.json} next to the checkpoints: configuration, best checkpoint, test accuracy. */
final class RunSummary {
    static final String FILE = "run.json";

    private RunSummary() { }

    static void write(TrainConfig c, TrainResult r) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", r.runId());
        m.put("dataset", c.dataset());
        m.put("model", c.model());
        m.put("variant", c.variant().wireName());
        m.put("architecture", c.architecture().wireName());
        m.put("feature", c.featureSpec());
        m.put("canaries", c.canaries());
        m.put("canaryIndices", r.canaryIndices());
        m.put("seed", c.seed());
        m.put("epochsMax", c.epochs());
        m.put("batchSize", c.batchSize());
        m.put("learningRate", c.learningRate());
        m.put("patience", c.patience());
        m.put("trainLimit", c.trainLimit());
        List<String> names = r.checkpoints().stream().map(p -> p.getFileName().toString()).toList();
        m.put("checkpoints", names);
        m.put("bestCheckpoint", r.bestCheckpoint().getFileName().toString());
        m.put("bestEpoch", r.bestEpoch());
        m.put("stoppedEarly", r.stoppedEarly());
        m.put("testAccuracy", r.testAccuracy());
        m.put("wallSeconds", r.seconds());
        Path file = c.out().resolve(FILE);
        Files.writeString(file, Json.GSON.toJson(m), StandardCharsets.UTF_8);
    }
}
