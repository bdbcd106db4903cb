package io.memaudit.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.memaudit.common.model.InputLayout;
import io.memaudit.common.model.Normalisation;
import io.memaudit.common.scoring.AuditInputs;
import io.memaudit.common.scoring.AuditRequest;
import io.memaudit.common.scoring.ProbeInputs;
import io.memaudit.common.util.Json;
import io.memaudit.common.util.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code memaudit probes export}: the exact tensors an audit feeds a model, for recomputing a score elsewhere. */
@Command(name = "probes", mixinStandardHelpOptions = true,
        description = "Probe sets: export the exact input tensors of an audit.",
        subcommands = {ProbesCommand.Export.class})
final class ProbesCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Writes the normalised probe tensors of an audit as float32 .npy files in the model's layout:",
                    "clean.npy, random.npy (random patches), feature-000.npy (the feature) and feature-001.npy ...",
                    "(its controls), with manifest.json naming them, so anyone can recompute M_KL and M_label",
                    "in their own framework."})
    static final class Export implements Callable<Integer> {
        @Mixin
        AuditOptions audit;
        @Mixin
        DataOptions data;
        @Option(names = "--input-shape", paramLabel = "C,H,W", split = ",", required = true, description = "The model's image input, e.g. 1,28,28.")
        List<Integer> inputShape;
        @Option(names = "--mean", paramLabel = "M", split = ",", required = true, description = "Per-channel normalisation mean.")
        List<Float> mean;
        @Option(names = "--std", paramLabel = "S", split = ",", required = true, description = "Per-channel normalisation standard deviation.")
        List<Float> std;
        @Option(names = "--layout", paramLabel = "NCHW|NHWC", description = "Layout of the written tensors (default: NCHW).")
        String layout;
        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write (created; must be empty if it exists).")
        Path out;

        @Override
        public Integer call() throws IOException {
            if (inputShape.size() != 3) {
                throw new IllegalArgumentException("--input-shape " + inputShape + ": give exactly C,H,W, e.g. 1,28,28");
            }
            if (audit.uf == null) {
                throw new IllegalArgumentException("--uf is required (the feature to export, e.g. glyph:A)");
            }
            int[] shape = inputShape.stream().mapToInt(Integer::intValue).toArray();
            Normalisation norm = new Normalisation(floats(mean), floats(std));
            InputLayout lay = InputLayout.parse(layout, "--layout");
            prepareOut();
            AuditRequest request = audit.request(null);
            AuditInputs inputs = AuditInputs.resolve(request, shape);
            try (NDManager m = NDManager.newBaseManager(Device.cpu());
                 ProbeInputs in = inputs.build(data.probes(), request, shape, norm, m)) {
                List<String> featureFiles = new ArrayList<>();
                write(in.clean(), "clean.npy", lay);
                write(in.random(), "random.npy", lay);
                for (int k = 0; k < in.featureCount(); k++) {
                    String name = String.format("feature-%03d.npy", k);
                    write(in.feature(k), name, lay);
                    featureFiles.add(name);
                }
                writeManifest(shape, lay, in, inputs, request, norm, featureFiles);
                System.out.println("wrote " + (2 + in.featureCount()) + " tensors of " + in.n() + " images to " + out);
            }
            return 0;
        }

        private void prepareOut() throws IOException {
            if (Files.isDirectory(out)) {
                try (var s = Files.list(out)) {
                    if (s.findAny().isPresent()) {
                        throw new IllegalArgumentException("--out " + out + " is not empty");
                    }
                }
            }
            Files.createDirectories(out);
        }

        private void write(NDArray nchw, String name, InputLayout lay) throws IOException {
            NDArray a = lay == InputLayout.NHWC ? nchw.transpose(0, 2, 3, 1) : nchw;
            Npy.writeFloat32(out.resolve(name), a.toFloatArray(), a.getShape().getShape());
        }

        private void writeManifest(int[] shape, InputLayout lay, ProbeInputs in, AuditInputs inputs, AuditRequest request,
                                   Normalisation norm, List<String> featureFiles) throws IOException {
            Map<String, Object> files = new LinkedHashMap<>();
            files.put("clean", "clean.npy");
            files.put("random", "random.npy");
            files.put("features", featureFiles);
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("inputShape", shape);
            manifest.put("layout", lay.wire());
            manifest.put("n", in.n());
            manifest.put("probeSet", inputs.probeSet());
            manifest.put("probeSeed", request.probeSeed());
            manifest.put("patchSeed", request.patchSeed());
            manifest.put("scale", inputs.scale());
            manifest.put("normalisation", Map.of("mean", norm.mean(), "std", norm.std()));
            manifest.put("featureIds", in.featureIds());
            manifest.put("files", files);
            Files.writeString(out.resolve("manifest.json"), Json.GSON.toJson(manifest) + "\n", StandardCharsets.UTF_8);
        }

        private static float[] floats(List<Float> values) {
            float[] f = new float[values.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = values.get(i);
            }
            return f;
        }
    }
}
