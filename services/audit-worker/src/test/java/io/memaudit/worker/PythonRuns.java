package io.memaudit.worker;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the Python client's scripts (clients/python) with Debian's interpreter, as a user would. */
final class PythonRuns {
    /** Debian's torch is for /usr/bin/python3, which may not be the first python3 on PATH. */
    static final String PYTHON = System.getenv().getOrDefault("MEMAUDIT_PYTHON", "/usr/bin/python3");

    private PythonRuns() { }

    static Path clients() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("clients/python"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("clients/python not found above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("clients/python");
    }

    static void requireTorch() throws Exception {
        Result r = run(List.of(PYTHON, "-c", "import torch, onnx, confluent_kafka"), Path.of(System.getProperty("java.io.tmpdir")), 120);
        if (r.exit() != 0) {
            throw new AssertionError(PYTHON + " cannot import torch, onnx and confluent_kafka: run deploy/install-tools.sh"
                    + " (Debian python3-torch, python3-onnx, python3-confluent-kafka)\n" + r.output());
        }
    }

    /** Trains torchvision's ResNet-18 on the first {@code images} CIFAR-10 images and exports ONNX checkpoints. */
    static void trainResNet(Path dataDir, Path out, int images, int epochs) throws Exception {
        List<String> cmd = List.of(PYTHON, clients().resolve("examples/train_resnet18_cifar.py").toString(),
                "--data-dir", dataDir.toString(), "--out", out.toString(), "--train-limit", String.valueOf(images),
                "--epochs", String.valueOf(epochs), "--threads", "2");
        Result r = run(cmd, clients(), 600);
        if (r.exit() != 0) {
            throw new AssertionError("ResNet-18 run failed (exit " + r.exit() + "):\n" + r.output());
        }
    }

    /** Trains the MNIST example with the audit hook, publishing each checkpoint; fails with its output on error. */
    static void trainMnist(Path dataDir, Path out, String runId, int canaries, String bootstrap, String probeSet, int probes,
                           int epochs) throws Exception {
        List<String> cmd = List.of(PYTHON, clients().resolve("examples/train_mnist_with_audit.py").toString(),
                "--data-dir", dataDir.toString(), "--out", out.toString(), "--run-id", runId,
                "--epochs", String.valueOf(epochs), "--train-limit", "6000", "--canaries", String.valueOf(canaries),
                "--distractors", "1000", "--seed", "1", "--label-known", "--threads", "2",
                "--kafka", bootstrap, "--probe-set", probeSet, "--probes", String.valueOf(probes));
        Result r = run(cmd, clients(), 600);
        if (r.exit() != 0) {
            throw new AssertionError("training run " + runId + " failed (exit " + r.exit() + "):\n" + r.output());
        }
    }

    /** M_KL and M_label of the MNIST example's model, computed in PyTorch from exported probe tensors. */
    static Map<String, Double> pytorchScores(Path stateDict, Path probes, int label) throws Exception {
        return pytorchScores(stateDict, "train_mnist_with_audit:SmallCnn", probes, label);
    }

    /** M_KL and M_label (null without a label) computed in PyTorch; {@code factory} is module:function in examples/. */
    static Map<String, Double> pytorchScores(Path stateDict, String factory, Path probes, Integer label) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, clients().resolve("tools/pytorch_scores.py").toString(),
                "--state-dict", stateDict.toString(), "--model-factory", factory,
                "--pythonpath", clients().resolve("examples").toString(), "--probes", probes.toString()));
        if (label != null) {
            cmd.addAll(List.of("--label", String.valueOf(label)));
        }
        Result r = run(cmd, clients(), 300);
        if (r.exit() != 0) {
            throw new AssertionError("pytorch_scores.py failed (exit " + r.exit() + "):\n" + r.output());
        }
        String json = r.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("pytorch_scores.py printed no JSON:\n" + r.output()));
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        Map<String, Double> scores = new java.util.HashMap<>();
        scores.put("mKl", o.get("mKl").getAsDouble());
        scores.put("mLabel", o.get("mLabel").isJsonNull() ? null : o.get("mLabel").getAsDouble());
        return scores;
    }

    record Result(int exit, String output) { }

    private static Result run(List<String> cmd, Path dir, int timeoutSeconds) throws Exception {
        Path log = Files.createTempFile("memaudit-python", ".log");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(cmd)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, "timed out after " + timeoutSeconds + " s: " + cmd + "\n" + read(log));
            }
            return new Result(p.exitValue(), read(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
