package io.memaudit.common.scoring;

import ai.djl.ndarray.NDArray;
import io.memaudit.common.model.InputLayout;
import io.memaudit.common.model.Normalisation;
import io.memaudit.common.util.Json;
import io.memaudit.common.util.Npy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the exact tensors of an audit as float32 {@code .npy} files in the model's layout —
 * {@code clean.npy}, {@code random.npy}, {@code feature-000.npy} (the feature), {@code feature-001.npy}…
 * (its controls) — and {@code manifest.json} naming them, so that a score can be recomputed in any
 * framework ({@code clients/python/tools/pytorch_scores.py} does it in PyTorch).
 */
public final class ProbeExport {
    private ProbeExport() { }

    /** Writes into {@code out}, which must exist; returns the number of tensors written. */
    public static int write(Path out, ProbeInputs in, AuditInputs inputs, AuditRequest request, int[] shape,
                            InputLayout layout, Normalisation norm) throws IOException {
        List<String> featureFiles = new ArrayList<>();
        tensor(out, in.clean(), "clean.npy", layout);
        tensor(out, in.random(), "random.npy", layout);
        for (int k = 0; k < in.featureCount(); k++) {
            String name = String.format("feature-%03d.npy", k);
            tensor(out, in.feature(k), name, layout);
            featureFiles.add(name);
        }
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("clean", "clean.npy");
        files.put("random", "random.npy");
        files.put("features", featureFiles);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("inputShape", shape);
        manifest.put("layout", layout.wire());
        manifest.put("n", in.n());
        manifest.put("probeSet", inputs.probeSet());
        manifest.put("probeSeed", request.probeSeed());
        manifest.put("patchSeed", request.patchSeed());
        manifest.put("scale", inputs.scale());
        manifest.put("normalisation", Map.of("mean", norm.mean(), "std", norm.std()));
        manifest.put("featureIds", in.featureIds());
        manifest.put("files", files);
        Files.writeString(out.resolve("manifest.json"), Json.GSON.toJson(manifest) + "\n", StandardCharsets.UTF_8);
        return 2 + in.featureCount();
    }

    private static void tensor(Path out, NDArray nchw, String name, InputLayout layout) throws IOException {
        NDArray a = layout == InputLayout.NHWC ? nchw.transpose(0, 2, 3, 1) : nchw;
        Npy.writeFloat32(out.resolve(name), a.toFloatArray(), a.getShape().getShape());
    }
}
