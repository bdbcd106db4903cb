package io.memaudit.worker;

import ai.djl.Device;
import io.memaudit.common.data.DataDirectory;
import io.memaudit.common.data.DatasetFetcher;
import io.memaudit.common.data.DatasetName;
import io.memaudit.common.data.ProgressListener;
import io.memaudit.common.feature.RandomPatches;
import io.memaudit.common.model.Checkpoint;
import io.memaudit.common.model.InputLayout;
import io.memaudit.common.model.ModelSpec;
import io.memaudit.common.model.Normalisation;
import io.memaudit.common.model.OutputKind;
import io.memaudit.common.scoring.AuditRequest;
import io.memaudit.common.scoring.AuditResult;
import io.memaudit.common.scoring.CheckpointScorer;
import io.memaudit.common.scoring.DataSetProbes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second architecture through the same seam: torchvision's ResNet-18 (batch norm, residual
 * connections) for 3×32×32, trained for two epochs on 4,000 CIFAR-10 images in PyTorch, exported to ONNX
 * by the hook and audited with the 3×32×32 probe set mnist-rgb-32; the scores equal PyTorch's own on
 * the exported tensors. Needs CIFAR-10 and MNIST in the data directory (fetched when missing).
 */
class ResNetOnnxIT {
    @TempDir
    Path tmp;

    @Test
    void resnet18ExportedFromPyTorchIsAuditedAndAgreesWithPyTorch() throws Exception {
        PythonRuns.requireTorch();
        DataDirectory data = DataDirectory.resolve();
        for (DatasetName name : new DatasetName[] {DatasetName.CIFAR10, DatasetName.MNIST}) {
            if (!data.isComplete(name)) {
                new DatasetFetcher(data).fetch(name, ProgressListener.NONE);
            }
        }
        Path run = tmp.resolve("resnet");
        PythonRuns.trainResNet(data.root(), run, 4000, 2);
        Path ckpt = run.resolve("ckpt-0002");
        Normalisation cifar = new Normalisation(new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f});
        ModelSpec spec = new ModelSpec("onnx", "resnet18", new int[] {3, 32, 32}, 10, cifar, InputLayout.NCHW, OutputKind.LOGITS);
        AuditRequest request = new AuditRequest("glyph:A", "mnist-rgb-32", 300, AuditRequest.DEFAULT_PROBE_SEED,
                RandomPatches.DEFAULT_SEED, null, 0, null).withControls(25); // agreement with PyTorch does not depend on K
        AuditResult r;
        try (CheckpointScorer scorer = new CheckpointScorer(Device.cpu(), new DataSetProbes(data, name -> { }))) {
            r = scorer.score(new Checkpoint("resnet", 2, 126, ckpt.resolve("model.onnx"), null, spec, null), request);
            assertTrue(scorer.engineDescription().startsWith("ONNX Runtime"), scorer.engineDescription());
        }
        assertEquals(25, r.controlIds().size());
        assertTrue(Double.isFinite(r.scores().mKl()) && r.kl().rank() >= 1 && r.kl().rank() <= 26, r.toString());
        Map<String, Double> torch = PythonRuns.pytorchScores(ckpt.resolve("state_dict.pt"), "train_resnet18_cifar:resnet18",
                ProbeImages.export(tmp.resolve("export"), request, spec.inputShape(), cifar), 0);
        assertClose(torch.get("mKl"), r.scores().mKl(), "M_KL");
        assertClose(torch.get("mLabel"), r.scores().mLabel(), "M_label");
    }

    /** 1e-4 relative, or 1e-6 absolute for scores near zero (float32 forward passes in two runtimes). */
    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(actual - expected) <= Math.max(1e-6, 1e-4 * Math.abs(expected)),
                what + ": memaudit " + actual + " vs PyTorch " + expected);
    }
}
